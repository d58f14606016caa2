//! placeholder for the medical-imaging direction (being written)
