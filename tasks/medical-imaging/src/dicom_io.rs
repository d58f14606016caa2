//! DICOM reading and writing through dicom-rs: CT slices written as Explicit VR Little Endian
//! with fully specified identity (so the same seed gives the same bytes), and a reader for any
//! uncompressed single-frame greyscale image that returns rescaled values (HU for CT).

use crate::image::Image;
use dicom_core::header::HasLength;
use dicom_core::value::{C, DicomValueType};
use dicom_core::{DataElement, PrimitiveValue, VR};
use dicom_dictionary_std::{tags, uids};
use dicom_object::{FileMetaTableBuilder, InMemDicomObject, OpenFileOptions};
use jiebang_core::TaskError;
use std::path::Path;

/// Implementation class UID written into the file meta of generated files (a `2.25` UUID-form
/// UID fixed for jiebang), so the bytes do not depend on the dicom-rs version.
pub const IMPLEMENTATION_CLASS_UID: &str = "2.25.137019207741405203627395939011434466117";
/// Implementation version name written into the file meta of generated files.
pub const IMPLEMENTATION_VERSION_NAME: &str = "JIEBANG_MI_1";

/// The identity and geometry of one generated CT slice.
#[derive(Debug, Clone)]
pub struct SliceIdentity {
    /// Patient id (LO).
    pub patient_id: String,
    /// Study id (SH, at most 16 characters).
    pub study_id: String,
    /// Study instance UID.
    pub study_uid: String,
    /// Series instance UID.
    pub series_uid: String,
    /// SOP instance UID of this slice.
    pub sop_uid: String,
    /// Frame of reference UID.
    pub frame_uid: String,
    /// Study date, `YYYYMMDD`.
    pub study_date: String,
    /// Study time, `HHMMSS`.
    pub study_time: String,
    /// 1-based instance number within the series.
    pub instance_number: u32,
    /// Pixel spacing in mm (square pixels).
    pub pixel_spacing_mm: f64,
    /// Slice thickness in mm.
    pub slice_thickness_mm: f64,
    /// Table position of the slice (z) in mm.
    pub slice_z_mm: f64,
}

fn text(tag: dicom_core::Tag, vr: VR, value: &str) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, vr, PrimitiveValue::from(value))
}

fn strs(tag: dicom_core::Tag, vr: VR, values: &[String]) -> DataElement<InMemDicomObject> {
    DataElement::new(
        tag,
        vr,
        PrimitiveValue::Strs(values.iter().cloned().collect()),
    )
}

fn us(tag: dicom_core::Tag, value: u16) -> DataElement<InMemDicomObject> {
    DataElement::new(tag, VR::US, PrimitiveValue::from(value))
}

/// Formats a decimal string (DS) with fixed precision so files are byte-reproducible.
fn ds(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Writes a CT slice of `hu` values (Hounsfield units, row-major `rows × cols`) to `path` as a
/// CT Image Storage object: signed 16-bit stored values with rescale intercept −1024.
pub fn write_ct_slice(
    path: &Path,
    id: &SliceIdentity,
    rows: usize,
    cols: usize,
    hu: &[i16],
) -> Result<(), TaskError> {
    let bad = |m: String| not_dicom(path, m);
    if hu.len() != rows * cols {
        return Err(bad(format!(
            "{} pixel values given for a {rows}×{cols} image",
            hu.len()
        )));
    }
    let rows16 = u16::try_from(rows).map_err(|_| bad(format!("{rows} rows exceed 65535")))?;
    let cols16 = u16::try_from(cols).map_err(|_| bad(format!("{cols} columns exceed 65535")))?;
    let stored: C<u16> = hu.iter().map(|&v| v.saturating_add(1024) as u16).collect();
    let spacing = ds(id.pixel_spacing_mm);
    let origin = -(cols as f64) * id.pixel_spacing_mm / 2.0;
    let elements = vec![
        strs(
            tags::IMAGE_TYPE,
            VR::CS,
            &["DERIVED".into(), "SECONDARY".into(), "AXIAL".into()],
        ),
        text(tags::SOP_CLASS_UID, VR::UI, uids::CT_IMAGE_STORAGE),
        text(tags::SOP_INSTANCE_UID, VR::UI, &id.sop_uid),
        text(tags::STUDY_DATE, VR::DA, &id.study_date),
        text(tags::SERIES_DATE, VR::DA, &id.study_date),
        text(tags::STUDY_TIME, VR::TM, &id.study_time),
        text(tags::ACCESSION_NUMBER, VR::SH, ""),
        text(tags::MODALITY, VR::CS, "CT"),
        text(tags::MANUFACTURER, VR::LO, "jiebang synthetic phantom"),
        text(tags::REFERRING_PHYSICIAN_NAME, VR::PN, ""),
        text(tags::STUDY_DESCRIPTION, VR::LO, "synthetic CT-like study"),
        text(
            tags::PATIENT_NAME,
            VR::PN,
            &format!("Phantom^{}", id.patient_id),
        ),
        text(tags::PATIENT_ID, VR::LO, &id.patient_id),
        text(tags::PATIENT_BIRTH_DATE, VR::DA, ""),
        text(tags::PATIENT_SEX, VR::CS, "O"),
        text(tags::SLICE_THICKNESS, VR::DS, &ds(id.slice_thickness_mm)),
        text(tags::KVP, VR::DS, "120"),
        text(tags::STUDY_INSTANCE_UID, VR::UI, &id.study_uid),
        text(tags::SERIES_INSTANCE_UID, VR::UI, &id.series_uid),
        text(tags::STUDY_ID, VR::SH, &id.study_id),
        text(tags::SERIES_NUMBER, VR::IS, "1"),
        text(
            tags::INSTANCE_NUMBER,
            VR::IS,
            &id.instance_number.to_string(),
        ),
        strs(
            tags::IMAGE_POSITION_PATIENT,
            VR::DS,
            &[ds(origin), ds(origin), ds(id.slice_z_mm)],
        ),
        strs(
            tags::IMAGE_ORIENTATION_PATIENT,
            VR::DS,
            &["1", "0", "0", "0", "1", "0"].map(String::from),
        ),
        text(tags::FRAME_OF_REFERENCE_UID, VR::UI, &id.frame_uid),
        text(tags::SLICE_LOCATION, VR::DS, &ds(id.slice_z_mm)),
        us(tags::SAMPLES_PER_PIXEL, 1),
        text(tags::PHOTOMETRIC_INTERPRETATION, VR::CS, "MONOCHROME2"),
        us(tags::ROWS, rows16),
        us(tags::COLUMNS, cols16),
        strs(tags::PIXEL_SPACING, VR::DS, &[spacing.clone(), spacing]),
        us(tags::BITS_ALLOCATED, 16),
        us(tags::BITS_STORED, 16),
        us(tags::HIGH_BIT, 15),
        us(tags::PIXEL_REPRESENTATION, 1),
        text(tags::WINDOW_CENTER, VR::DS, "40"),
        text(tags::WINDOW_WIDTH, VR::DS, "400"),
        text(tags::RESCALE_INTERCEPT, VR::DS, "-1024"),
        text(tags::RESCALE_SLOPE, VR::DS, "1"),
        DataElement::new(tags::PIXEL_DATA, VR::OW, PrimitiveValue::U16(stored)),
    ];
    let obj = InMemDicomObject::from_element_iter(elements);
    let file = obj
        .with_meta(
            FileMetaTableBuilder::new()
                .transfer_syntax(uids::EXPLICIT_VR_LITTLE_ENDIAN)
                .implementation_class_uid(IMPLEMENTATION_CLASS_UID)
                .implementation_version_name(IMPLEMENTATION_VERSION_NAME),
        )
        .map_err(|e| bad(format!("building the file meta group: {e}")))?;
    let mut bytes = Vec::with_capacity(rows * cols * 2 + 2048);
    file.write_all(&mut bytes)
        .map_err(|e| bad(format!("encoding: {e}")))?;
    std::fs::write(path, bytes).map_err(|e| TaskError::io(path, e))
}

/// Explicit VR Big Endian (retired in DICOM, still found in old archives).
const EXPLICIT_VR_BIG_ENDIAN: &str = "1.2.840.10008.1.2.2";

/// Transfer syntaxes whose pixel data is stored uncompressed.
const NATIVE_SYNTAXES: [&str; 3] = [
    uids::IMPLICIT_VR_LITTLE_ENDIAN,
    uids::EXPLICIT_VR_LITTLE_ENDIAN,
    EXPLICIT_VR_BIG_ENDIAN,
];

/// A file that is not a readable DICOM image, and why.
fn not_dicom(path: &Path, why: String) -> TaskError {
    TaskError::invalid(path, format!("not a readable DICOM image: {why}"))
}

/// Reads a single-frame, single-sample greyscale DICOM image with uncompressed pixel data and
/// returns its values after `RescaleSlope`/`RescaleIntercept` (Hounsfield units for CT).
/// Errors name `path` and say what was expected.
pub fn read_image(path: &Path) -> Result<Image, TaskError> {
    let bad = |m: String| not_dicom(path, m);
    let obj = OpenFileOptions::new()
        .open_file(path)
        .map_err(|e| bad(format!("{e} (expected a DICOM Part 10 file: 128-byte preamble, `DICM`, file meta group, data set)")))?;
    let ts = obj
        .meta()
        .transfer_syntax()
        .trim_end_matches(['\0', ' '])
        .to_string();
    if !NATIVE_SYNTAXES.contains(&ts.as_str()) {
        return Err(bad(format!(
            "transfer syntax {ts} is compressed or unsupported; expected uncompressed pixel data \
             (Implicit/Explicit VR Little Endian or Explicit VR Big Endian) — decompress it first, \
             e.g. `gdcmconv --raw` or `dcmdjpeg`"
        )));
    }
    let int = |tag, name: &str| -> Result<Option<i64>, TaskError> {
        match obj.element_opt(tag) {
            Ok(Some(e)) => e
                .to_int::<i64>()
                .map(Some)
                .map_err(|err| bad(format!("attribute {name}: {err}"))),
            Ok(None) => Ok(None),
            Err(err) => Err(bad(format!("attribute {name}: {err}"))),
        }
    };
    let float = |tag, name: &str| -> Result<Option<f64>, TaskError> {
        match obj.element_opt(tag) {
            Ok(Some(e)) if e.is_empty() => Ok(None),
            Ok(Some(e)) => e
                .to_float64()
                .map(Some)
                .map_err(|err| bad(format!("attribute {name}: {err}"))),
            Ok(None) => Ok(None),
            Err(err) => Err(bad(format!("attribute {name}: {err}"))),
        }
    };
    let required = |tag, name: &str| -> Result<i64, TaskError> {
        int(tag, name)?.ok_or_else(|| bad(format!("attribute {name} is missing")))
    };
    let rows = required(tags::ROWS, "Rows (0028,0010)")?;
    let cols = required(tags::COLUMNS, "Columns (0028,0011)")?;
    if rows <= 0 || cols <= 0 {
        return Err(bad(format!(
            "image is {rows}×{cols}; expected positive Rows and Columns"
        )));
    }
    let (rows, cols) = (rows as usize, cols as usize);
    let samples = int(tags::SAMPLES_PER_PIXEL, "SamplesPerPixel (0028,0002)")?.unwrap_or(1);
    if samples != 1 {
        return Err(bad(format!(
            "SamplesPerPixel is {samples}; expected 1 (a greyscale image)"
        )));
    }
    let frames = match obj.element_opt(tags::NUMBER_OF_FRAMES) {
        Ok(Some(e)) if !e.is_empty() => e
            .to_int::<i64>()
            .map_err(|err| bad(format!("attribute NumberOfFrames (0028,0008): {err}")))?,
        _ => 1,
    };
    if frames != 1 {
        return Err(bad(format!(
            "NumberOfFrames is {frames}; expected single-frame images (one slice per file)"
        )));
    }
    let bits_allocated = required(tags::BITS_ALLOCATED, "BitsAllocated (0028,0100)")?;
    if bits_allocated != 8 && bits_allocated != 16 {
        return Err(bad(format!(
            "BitsAllocated is {bits_allocated}; expected 8 or 16"
        )));
    }
    let bits_stored = int(tags::BITS_STORED, "BitsStored (0028,0101)")?.unwrap_or(bits_allocated);
    if bits_stored < 1 || bits_stored > bits_allocated {
        return Err(bad(format!(
            "BitsStored is {bits_stored}; expected 1..={bits_allocated} (BitsAllocated)"
        )));
    }
    let signed = match int(
        tags::PIXEL_REPRESENTATION,
        "PixelRepresentation (0028,0103)",
    )? {
        None | Some(0) => false,
        Some(1) => true,
        Some(other) => {
            return Err(bad(format!(
                "PixelRepresentation is {other}; expected 0 (unsigned) or 1 (signed)"
            )));
        }
    };
    let slope = float(tags::RESCALE_SLOPE, "RescaleSlope (0028,1053)")?.unwrap_or(1.0);
    let intercept = float(tags::RESCALE_INTERCEPT, "RescaleIntercept (0028,1052)")?.unwrap_or(0.0);
    if !slope.is_finite() || !intercept.is_finite() || slope == 0.0 {
        return Err(bad(format!(
            "RescaleSlope {slope} / RescaleIntercept {intercept}: expected finite numbers, slope ≠ 0"
        )));
    }
    let pixel = obj
        .element(tags::PIXEL_DATA)
        .map_err(|_| bad("attribute PixelData (7FE0,0010) is missing".into()))?;
    let prim = pixel.value().primitive().ok_or_else(|| {
        bad("PixelData is encapsulated (compressed fragments); expected native pixel data".into())
    })?;
    let n = rows * cols;
    let raw: Vec<u32> = match (prim, bits_allocated) {
        (PrimitiveValue::U16(v), 16) => v.iter().map(|&w| u32::from(w)).collect(),
        (PrimitiveValue::I16(v), 16) => v.iter().map(|&w| u32::from(w as u16)).collect(),
        (PrimitiveValue::U8(v), 16) => {
            let big = ts == EXPLICIT_VR_BIG_ENDIAN;
            v.chunks_exact(2)
                .map(|b| {
                    u32::from(if big {
                        u16::from_be_bytes([b[0], b[1]])
                    } else {
                        u16::from_le_bytes([b[0], b[1]])
                    })
                })
                .collect()
        }
        (PrimitiveValue::U8(v), 8) => v.iter().map(|&b| u32::from(b)).collect(),
        (PrimitiveValue::U16(v), 8) => v
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .map(u32::from)
            .collect(),
        (other, _) => {
            return Err(bad(format!(
                "PixelData holds {:?} values; expected OB/OW pixel data",
                other.value_type()
            )));
        }
    };
    if raw.len() < n {
        return Err(bad(format!(
            "PixelData holds {} pixels; Rows × Columns = {rows} × {cols} = {n} expected (truncated file?)",
            raw.len()
        )));
    }
    let bits = bits_stored as u32;
    let mask = if bits >= 32 {
        u32::MAX
    } else {
        (1u32 << bits) - 1
    };
    let data = raw[..n]
        .iter()
        .map(|&w| {
            let v = w & mask;
            let value = if signed && bits > 0 && (v >> (bits - 1)) & 1 == 1 {
                i64::from(v) - (1i64 << bits)
            } else {
                i64::from(v)
            };
            (value as f64 * slope + intercept) as f32
        })
        .collect();
    Ok(Image { rows, cols, data })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> SliceIdentity {
        SliceIdentity {
            patient_id: "P0001".into(),
            study_id: "S0001".into(),
            study_uid: "2.25.1".into(),
            series_uid: "2.25.2".into(),
            sop_uid: "2.25.3".into(),
            frame_uid: "2.25.4".into(),
            study_date: "20200101".into(),
            study_time: "080000".into(),
            instance_number: 1,
            pixel_spacing_mm: 2.734375,
            slice_thickness_mm: 5.0,
            slice_z_mm: -120.0,
        }
    }

    #[test]
    fn round_trip_keeps_hounsfield_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.dcm");
        let hu: Vec<i16> = (0..12).map(|i| i * 150 - 1000).collect();
        write_ct_slice(&path, &identity(), 3, 4, &hu).unwrap();
        let img = read_image(&path).unwrap();
        assert_eq!((img.rows, img.cols), (3, 4));
        let back: Vec<i16> = img.data.iter().map(|&v| v as i16).collect();
        assert_eq!(back, hu);
    }

    #[test]
    fn same_identity_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let hu = vec![40i16; 16];
        let (a, b) = (dir.path().join("a.dcm"), dir.path().join("b.dcm"));
        write_ct_slice(&a, &identity(), 4, 4, &hu).unwrap();
        write_ct_slice(&b, &identity(), 4, 4, &hu).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    }

    #[test]
    fn garbage_and_truncated_files_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.dcm");
        std::fs::write(&junk, b"this is not DICOM at all").unwrap();
        let e = read_image(&junk).unwrap_err().to_string();
        assert!(
            e.contains("junk.dcm") && e.contains("not a readable DICOM image"),
            "{e}"
        );

        let good = dir.path().join("good.dcm");
        write_ct_slice(&good, &identity(), 8, 8, &[0i16; 64]).unwrap();
        let bytes = std::fs::read(&good).unwrap();
        let cut = dir.path().join("cut.dcm");
        std::fs::write(&cut, &bytes[..bytes.len() - 40]).unwrap();
        let e = read_image(&cut).unwrap_err().to_string();
        assert!(e.contains("cut.dcm"), "{e}");
    }

    #[test]
    fn decimal_strings_are_fixed_precision() {
        assert_eq!(ds(2.734375), "2.7344");
        assert_eq!(ds(-120.0), "-120");
        assert_eq!(ds(0.0), "0");
        assert_eq!(ds(-0.00001), "0");
    }
}
