//! Prints what `builtin:log-blob` sees in one DICOM slice: every scale-space extremum it
//! considered, best first, with its features and why it was dropped.
//! `cargo run -p jiebang-medical-imaging --example explain -- FILE.dcm [x y radius]`
//! (with a point, only extrema within `radius` pixels of it).

use jiebang_medical_imaging::detector::{DetectorConfig, LogBlobDetector};
use jiebang_medical_imaging::dicom_io::read_image;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: explain FILE.dcm [x y radius]")?;
    let near: Option<(f64, f64, f64)> = match &args[1..] {
        [x, y, r] => Some((x.parse()?, y.parse()?, r.parse()?)),
        _ => None,
    };
    let img = read_image(std::path::Path::new(path))?;
    let device = jiebang_accel::Device::cpu();
    let detector = LogBlobDetector::new(&device, DetectorConfig::default());
    for c in detector.explain(&img)? {
        let b = &c.blob;
        if near.is_some_and(|(x, y, r)| (b.x - x).hypot(b.y - y) > r) {
            continue;
        }
        println!(
            "x {:3} y {:3} r {:5.2} score {:7.2} {} centre {:7.1} round {:.2} iso {:.2}  {}",
            b.x,
            b.y,
            b.r,
            b.score,
            if b.bright { "bright" } else { "dark  " },
            c.centre,
            b.roundness,
            b.isolation,
            c.rejected.unwrap_or("MARK")
        );
    }
    Ok(())
}
