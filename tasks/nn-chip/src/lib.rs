//! placeholder for the nn-chip direction (being written)
