//! One module per `jiebang` command.

pub mod board;
pub mod compare;
pub mod data;
pub mod demo;
pub mod demo_round;
pub mod keys;
pub mod merge;
pub mod peak;
pub mod round;
pub mod run;
pub mod show;
pub mod tasks;
pub mod verify;
