//! The report in a real browser: headless Chromium (Debian's `chromium` package) opens the B2B
//! case's page, takes a screenshot, and the test checks that the page logged nothing to the
//! console (it has no script, so any console line is an error) and that the screenshot is not
//! blank. Ignored by default, since a fresh machine has no browser; `.ci/run` installs Chromium
//! and runs it with `cargo test --features report -- --ignored page::browser`.
//! `OFFERGRAPH_SCREENSHOT=PATH` keeps the screenshot.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser: `$CHROMIUM`, or Debian's `/usr/bin/chromium`.
fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Decodes an 8-bit RGB or RGBA PNG into its pixels, as `[r, g, b]`.
fn pixels(path: &Path) -> Vec<[u8; 3]> {
    let decoder = png::Decoder::new(std::fs::File::open(path).expect("the screenshot exists"));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "an 8-bit screenshot");
    let step = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    buf[..info.buffer_size()].chunks_exact(step).map(|p| [p[0], p[1], p[2]]).collect()
}

#[test]
#[ignore = "needs headless Chromium (apt-get install chromium); .ci/run runs it"]
fn the_page_renders_in_headless_chromium() {
    let dir = std::env::temp_dir().join(format!("offergraph-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let page = dir.join("report.html");
    std::fs::write(&page, super::b2b_page()).expect("the page is written");
    let shot =
        std::env::var_os("OFFERGRAPH_SCREENSHOT").map_or_else(|| dir.join("report.png"), PathBuf::from);
    let _ = std::fs::remove_file(&shot);
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2200",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {}: {e}; install it with apt-get install chromium", chromium().display())
        });
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "chromium failed: {log}");
    // Console messages are logged as `…:INFO:CONSOLE(line)] "message", source: …`.
    let console: Vec<&str> =
        log.lines().filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught")).collect();
    assert!(console.is_empty(), "the page logged to the console:\n{}", console.join("\n"));
    let pixels = pixels(&shot);
    assert_eq!(pixels.len(), 1280 * 2200, "the whole window");
    let inked = pixels.iter().filter(|p| p.iter().any(|&c| c < 200)).count();
    let colours: HashSet<[u8; 3]> = pixels.iter().copied().collect();
    // Text, tables and charts: a few percent of the pixels are dark, in hundreds of colours
    // (anti-aliasing, the heat map, the two series colours).
    assert!(inked > pixels.len() / 50, "only {inked} of {} pixels are not near-white", pixels.len());
    assert!(colours.len() > 200, "only {} distinct colours", colours.len());
    let blue = pixels.iter().filter(|p| p[2] > 150 && p[0] < 80).count();
    let orange = pixels.iter().filter(|p| p[0] > 200 && p[1] > 90 && p[1] < 150 && p[2] < 80).count();
    assert!(blue > 500 && orange > 50, "the series colours are on screen: {blue} blue, {orange} orange");
    let _ = std::fs::remove_dir_all(&dir);
}
