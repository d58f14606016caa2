//! The site's charts as files: each SVG that `crate::charts` draws is written once to
//! `charts/<name>.svg` and shown as `<img class="chart">` with a caption.

use super::layout::href;
use super::model::file_id;
use crate::escape::html as esc;
use anyhow::{Context as _, Result, bail};
use jiebang_core::atomic;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Writes charts under `<site>/charts/`, refusing a name twice.
pub struct Figures {
    dir: PathBuf,
    names: BTreeSet<String>,
}

impl Figures {
    /// Charts under `site/charts/`.
    pub fn new(site: &Path) -> Figures {
        Figures {
            dir: site.join("charts"),
            names: BTreeSet::new(),
        }
    }

    /// Writes `svg` as `charts/<name>.svg` and returns the figure for a page `depth` folders
    /// deep; `caption` is plain text.
    pub fn add(&mut self, depth: usize, name: &str, svg: &str, caption: &str) -> Result<String> {
        let name = file_id(name);
        if !self.names.insert(name.clone()) {
            bail!("chart {name} drawn twice (a bug in the site's naming)");
        }
        std::fs::create_dir_all(&self.dir).with_context(|| format!("{}", self.dir.display()))?;
        atomic::write(&self.dir.join(format!("{name}.svg")), svg.as_bytes())?;
        Ok(format!(
            "<figure><img class=\"chart\" src=\"{}\" alt=\"{}\"><figcaption>{}</figcaption></figure>\n",
            esc(&href(depth, &format!("charts/{name}.svg"))),
            esc(caption),
            esc(caption)
        ))
    }

    /// How many charts were written.
    pub fn count(&self) -> usize {
        self.names.len()
    }
}
