//! Harness for the end-to-end tests of the `www/` demo: starts a stand-in and a
//! WebDriver driver, opens a browser session on the demo page and offers the few
//! page-level steps the flows are made of. The flows themselves are in `tests/`.
//!
//! Every wait polls the page until a condition holds or a timeout passes, so a test
//! fails when the flow breaks instead of passing on a lucky sleep.

pub mod browser;
pub mod demo;
pub mod standin;

pub use browser::WindowSize;
pub use browser::{Browser, Popups};
pub use demo::{with_demo, Demo, Mode};
pub use standin::{Served, Standin};

/// Errors of the harness and the flows: the message is what a failing test prints.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
/// Result of a harness step or a flow.
pub type Result<T = ()> = std::result::Result<T, Error>;

/// Fails the test with a flow's error, printed as the harness wrote it.
pub fn check(result: Result) {
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Generates `chromium::flow` and `firefox::flow` tests for every flow (an `async fn`
/// taking a [`Browser`] and returning a [`Result`]), so the test list and the results
/// read per browser.
#[macro_export]
macro_rules! in_both_browsers {
    ($($flow:ident),* $(,)?) => {
        mod chromium {
            $(#[tokio::test]
            async fn $flow() {
                $crate::check(super::$flow($crate::Browser::Chromium).await);
            })*
        }
        mod firefox {
            $(#[tokio::test]
            async fn $flow() {
                $crate::check(super::$flow($crate::Browser::Firefox).await);
            })*
        }
    };
}

/// The repository root: the demo, the package and the stand-in binary live there.
pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| ".".into())
}
