//! Rounds (揭榜轮次): a folder with `round.toml`, the units' frozen declarations and their
//! submitted scorecards — read, written and checked here (`jiebang round` and the board use it).

mod check;
mod declare;
mod folder;
mod init;
mod lock;
mod spec;
mod submit;
mod template;

pub use check::{Finding, RULES, check};
pub use declare::{Declared, declare};
pub use folder::{
    EntryClass, ROUND_FILE, RoundFolder, Submission, UNITS_DIR, frozen_path, stem, submission_path,
};
pub use init::{InitDirection, InitSpec, init};
pub use lock::{Frozen, LOCK_FILE, Lock, today};
pub use spec::{MAX_SELECTED, MAX_SUCCESSFUL, Round, RoundDirection, RoundSuite};
pub use submit::{Submitted, submit};
pub use template::declaration_template;
