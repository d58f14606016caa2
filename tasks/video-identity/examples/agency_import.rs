//! Converts an agency's face annotations into a video-identity dataset (the library's
//! `agency` module); scripts/import-faces.sh runs it and then pins the folder.
//!   agency_import lfw-pairs PAIRS_TXT IMAGES OUT     (video-identity/verify-1to1)
//!   agency_import wider-face BOX_FILE IMAGES OUT     (video-identity/detect)

use jiebang_video_identity::agency::{import_lfw_pairs, import_wider_boxes};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [format, file, images, out] = args.as_slice() else {
        eprintln!("usage: agency_import lfw-pairs|wider-face ANNOTATIONS IMAGES OUT");
        return ExitCode::from(2);
    };
    let (file, images, out) = (Path::new(file), Path::new(images), Path::new(out));
    let result = match format.as_str() {
        "lfw-pairs" => import_lfw_pairs(file, images, out),
        "wider-face" => import_wider_boxes(file, images, out),
        other => {
            eprintln!("agency_import: unknown format `{other}`; expected lfw-pairs or wider-face");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(done) => {
            eprintln!(
                "agency_import: {} images, {} truth rows, {} faces left out (invalid or empty)",
                done.images, done.rows, done.skipped
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("agency_import: {e}");
            ExitCode::from(2)
        }
    }
}
