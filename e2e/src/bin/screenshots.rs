//! Saves PNGs of the demo's main states (start, waiting, success, an error) at desktop
//! and phone widths, light and dark, under docs/screenshots/, for the README. Run by
//! scripts/screenshots.sh, which makes sure the package and the stand-in are built.

use std::path::Path;

use tvmaze_demo_e2e::{repo_root, Browser, Demo, Mode, Popups, Result, Standin, WindowSize};

const SIZES: [(&str, WindowSize); 2] = [
    ("desktop", WindowSize::DESKTOP),
    (
        "mobile",
        // Tall enough for the whole start form: an emulated phone screen cannot grow
        // to fit its page the way a desktop window does below.
        WindowSize {
            width: 360,
            height: 1600,
        },
    ),
];

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("screenshots: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result {
    let out = repo_root().join("docs/screenshots");
    std::fs::create_dir_all(&out)?;
    let standin = Standin::spawn(&[]).await?;
    for (name, size) in SIZES {
        for dark in [false, true] {
            let demo = Demo::open(Browser::Chromium, &standin, Popups::Allowed, size).await?;
            let result = async {
                demo.emulate_color_scheme(dark).await?;
                let scheme = if dark { "-dark" } else { "" };
                shoot(&demo, &format!("{name}{scheme}"), size.width, &out).await
            }
            .await;
            demo.close().await;
            result?;
        }
    }
    Ok(())
}

async fn shoot(demo: &Demo, size: &str, width: u32, out: &Path) -> Result {
    let save = async |state: &str| {
        let path = out.join(format!("{state}-{size}.png"));
        fit_viewport(demo, width).await?;
        demo.screenshot(&path).await?;
        println!("{}", path.display());
        Result::Ok(())
    };
    let main = demo.client().window().await?;

    // Start: the form with a typed address, focus off the field.
    demo.inner("input")
        .await?
        .send_keys("alice@example.com")
        .await?;
    demo.js("document.activeElement.blur()").await?;
    save("start").await?;

    // Waiting: the element's instructions for the new tab.
    demo.start("alice@example.com", Mode::NewTab).await?;
    demo.wait_state("waiting").await?;
    demo.js("window.scrollTo(0, 0)").await?;
    save("waiting").await?;

    // Success: confirmed in the other tab.
    demo.switch_to_confirm_tab().await?;
    demo.decide(true).await?;
    demo.client().switch_to_window(main.clone()).await?;
    demo.wait_text("#username", "alice").await?;
    demo.js("document.activeElement.blur(); window.scrollTo(0, 0)")
        .await?;
    save("success").await?;

    // An error: an address no account uses.
    demo.inner("button[part~=sign-out]").await?.click().await?;
    demo.start("nobody@example.com", Mode::Email).await?;
    demo.wait_state("error").await?;
    demo.js("document.activeElement.blur(); window.scrollTo(0, 0)")
        .await?;
    save("error").await
}

/// Resizes a desktop window so the viewport is `width` wide and tall enough for the
/// whole page (at least 800 px): a WebDriver screenshot shows the viewport only. The
/// 360 px phone screen is emulated at a fixed size, so it is only checked, width and
/// height.
async fn fit_viewport(demo: &Demo, width: u32) -> Result {
    if width < 500 {
        let inner = demo.js("return innerWidth").await?;
        if inner.as_u64() != Some(u64::from(width)) {
            return Err(format!("the viewport is {inner} px wide, not {width}").into());
        }
        let [height, content] = ["innerHeight", "document.documentElement.scrollHeight"];
        let sizes = demo.js(&format!("return [{height}, {content}]")).await?;
        let (height, content) = (sizes[0].as_u64(), sizes[1].as_u64());
        if content > height {
            return Err(format!(
                "the page is {content:?} px tall, the emulated phone {height:?} px: raise its height in SIZES"
            )
            .into());
        }
        return Ok(());
    }
    let metrics = demo
        .js(
            "return [outerWidth - innerWidth, outerHeight - innerHeight, \
             document.documentElement.scrollHeight]",
        )
        .await?;
    let number = |i: usize| metrics[i].as_u64().unwrap_or(0) as u32;
    let (chrome_width, chrome_height, content_height) = (number(0), number(1), number(2));
    demo.client()
        .set_window_size(
            width + chrome_width,
            content_height.max(800) + chrome_height,
        )
        .await?;
    let inner = demo.js("return innerWidth").await?;
    if inner.as_u64() != Some(u64::from(width)) {
        return Err(format!("the viewport is {inner} px wide, not {width}").into());
    }
    Ok(())
}
