//! The page's charts, drawn by plotters into SVG strings. Every chart takes finite values (the
//! callers pass them through [`drawable`]) and axis ranges from [`axis`], so no chart can fail on
//! a number; a drawing error is still reported as [`PageError::Chart`], never a panic.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::error::PageError;
use crate::numerics::tol;
use crate::page::format::{axis, compact, compact_percent, drawable, shorten};

/// One colour per meaning, the same in every chart and table of the page.
pub(crate) mod palette {
    use plotters::style::RGBColor;

    /// The plan as it is (current spend, static figures, full-cycle ROMI).
    pub(crate) const CURRENT: RGBColor = RGBColor(49, 104, 168);
    /// The optimum.
    pub(crate) const OPTIMAL: RGBColor = RGBColor(221, 120, 40);
    /// What a naive dashboard shows (one period's closed profit over its spend).
    pub(crate) const NAIVE: RGBColor = RGBColor(140, 140, 140);
    /// Break-even (ROMI 0).
    pub(crate) const BREAK_EVEN: RGBColor = RGBColor(196, 58, 58);
    /// Axes and text.
    pub(crate) const INK: RGBColor = RGBColor(40, 40, 40);
    /// Grid lines.
    pub(crate) const GRID: RGBColor = RGBColor(228, 228, 228);

    /// The colour as CSS (`#rrggbb`).
    pub(crate) fn css(c: RGBColor) -> String {
        format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
    }
}

#[cfg(test)]
use palette::NAIVE;
use palette::{BREAK_EVEN, CURRENT, GRID, INK, OPTIMAL};

const FONT: &str = "sans-serif";
/// Width of the full-width charts, in SVG pixels (the page scales them down to fit).
const WIDE: u32 = 1120;

fn failed(chart: &str) -> impl Fn(&dyn std::fmt::Display) -> PageError + '_ {
    move |e| PageError::Chart { chart: chart.to_owned(), message: e.to_string() }
}

/// Draws with `draw` on an SVG canvas of `size` and returns the SVG text.
fn svg(
    chart: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> Result<(), PageError>,
) -> Result<String, PageError> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| failed(chart)(&e))?;
        draw(&root)?;
        root.present().map_err(|e| failed(chart)(&e))?;
    }
    Ok(out)
}

/// A module's response curve `r(s)` on `[0, x_max]` (`points`), the break-even line
/// `leads = s / v` when `value_per_lead > 0`, and markers at the current and optimal spend.
pub(crate) fn curve(
    points: &[(f64, f64)],
    value_per_lead: f64,
    current: (f64, f64),
    optimal: Option<(f64, f64)>,
) -> Result<String, PageError> {
    let name = "response curve";
    let fail = failed(name);
    let xs = points.iter().map(|p| p.0).chain([current.0]).chain(optimal.map(|o| o.0));
    let (_, x_max) = axis(xs, Some(0.0));
    let ys = points.iter().map(|p| p.1).chain([current.1]).chain(optimal.map(|o| o.1));
    let (_, y_max) = axis(ys, Some(0.0));
    let y_max = drawable(y_max * 1.08);
    svg(name, (360, 230), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(44)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_labels(5)
            .y_labels(5)
            .x_desc("spend")
            .y_desc("leads")
            .axis_desc_style((FONT, 16).into_font().color(&INK))
            .label_style((FONT, 15).into_font().color(&INK))
            .x_label_formatter(&|x| compact(*x))
            .y_label_formatter(&|y| compact(*y))
            .draw()
            .map_err(|e| fail(&e))?;
        if value_per_lead > 0.0 && value_per_lead.is_finite() {
            // GP = v·r(s) = s: above this line the module returns more than it costs.
            let x_end = x_max.min(drawable(y_max * value_per_lead));
            let end = (x_end, drawable(x_end / value_per_lead).min(y_max));
            chart
                .draw_series(DashedLineSeries::new([(0.0, 0.0), end], 4, 4, BREAK_EVEN.stroke_width(1)))
                .map_err(|e| fail(&e))?;
        }
        let clamp = |(x, y): (f64, f64)| (drawable(x).clamp(0.0, x_max), drawable(y).clamp(0.0, y_max));
        chart
            .draw_series(LineSeries::new(points.iter().copied().map(clamp), CURRENT.stroke_width(2)))
            .map_err(|e| fail(&e))?;
        let marker = |at: (f64, f64), color: RGBColor| Circle::new(clamp(at), 5, color.filled());
        chart.draw_series([marker(current, CURRENT)]).map_err(|e| fail(&e))?;
        if let Some(o) = optimal {
            chart.draw_series([marker(o, OPTIMAL)]).map_err(|e| fail(&e))?;
        }
        Ok(())
    })
}

/// One bar series: a name for the legend, its colour and one value per row.
pub(crate) struct Bars<'a> {
    pub(crate) name: &'a str,
    pub(crate) color: RGBColor,
    pub(crate) values: Vec<f64>,
}

/// Horizontal grouped bars: one row per label, one bar per series in each row.
pub(crate) fn bars(
    title: &str,
    x_desc: &str,
    labels: &[String],
    series: &[Bars<'_>],
) -> Result<String, PageError> {
    let fail = failed(title);
    let rows = labels.len().max(1);
    let per_row = series.len().max(1);
    let row_height = (11 * per_row as u32 + 9).max(22);
    let height = 100 + row_height * rows as u32;
    let values = series.iter().flat_map(|s| s.values.iter().copied());
    let (x_lo, x_hi) = axis(values, Some(0.0));
    let chart = svg(title, (WIDE, height), |root| {
        let labels = labels.iter().map(String::as_str);
        let mut chart = row_chart(root, title, x_desc, x_lo..x_hi, labels, &|x| compact(*x))?;
        let slot = 0.8 / per_row as f64;
        for (k, s) in series.iter().enumerate() {
            let color = s.color;
            let rects = s.values.iter().enumerate().map(|(row, v)| {
                let top = (rows - 1 - row) as f64 + 0.9 - slot * k as f64;
                let v = drawable(*v).clamp(x_lo, x_hi);
                Rectangle::new([(0.0_f64.clamp(x_lo, x_hi), top - slot), (v, top)], color.filled())
            });
            chart.draw_series(rects).map_err(|e| fail(&e))?;
        }
        Ok(())
    })?;
    let entries: Vec<(&str, RGBColor, &str)> = series.iter().map(|s| (s.name, s.color, "box")).collect();
    Ok(format!("{}{chart}", legend(&entries)))
}

/// A legend above a chart, in HTML so it never covers the data: a swatch (`box`) or a short
/// line (`line`) per entry, in the entry's colour.
pub(crate) fn legend(entries: &[(&str, RGBColor, &str)]) -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (name, color, shape) in entries {
        let class = if *shape == "line" { "sw ln" } else { "sw" };
        out.push_str(&format!(
            "<span class=\"{class}\" style=\"background:{}\"></span>{}",
            palette::css(*color),
            crate::page::format::escape(name)
        ));
    }
    out.push_str("</p>");
    out
}

/// The frame of a chart with one horizontal row per label (bars, bands): the caption, an x axis
/// over `x_range` labelled with `x_label`, no y mesh, and each label left of its row, row 0 at
/// the top. The y axis runs over `0..rows` (at least one row); the label area is as wide as
/// the longest label needs (up to 64 characters).
fn row_chart<'a, 'b, 'l>(
    root: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: &str,
    x_desc: &str,
    x_range: std::ops::Range<f64>,
    labels: impl ExactSizeIterator<Item = &'l str> + Clone,
    x_label: &dyn Fn(&f64) -> String,
) -> Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>, PageError> {
    let fail = failed(title);
    let rows = labels.len().max(1);
    let longest = labels.clone().map(|l| l.chars().count()).max().unwrap_or(0).min(64) as u32;
    let label_area = (longest * 8 + 20).clamp(60, 520);
    let mut chart = ChartBuilder::on(root)
        .margin(10)
        .caption(title, (FONT, 20).into_font().color(&INK))
        .x_label_area_size(40)
        .y_label_area_size(label_area)
        .build_cartesian_2d(x_range, 0.0..rows as f64)
        .map_err(|e| fail(&e))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(8)
        .y_labels(0)
        .x_desc(x_desc)
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15).into_font().color(&INK))
        .x_label_formatter(x_label)
        .draw()
        .map_err(|e| fail(&e))?;
    // Rows run top to bottom: row 0 is drawn at the top, its label left of the axis.
    row_labels(root, &chart, labels).map_err(|e| fail(&e))?;
    Ok(chart)
}

/// Writes one label per row left of the plotting area, centred on the row, top row first.
fn row_labels<'l>(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    chart: &ChartContext<'_, SVGBackend<'_>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    labels: impl ExactSizeIterator<Item = &'l str>,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let rows = labels.len();
    let style =
        TextStyle::from((FONT, 15).into_font()).color(&INK).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Right,
            plotters::style::text_anchor::VPos::Center,
        ));
    let (x0, _) = chart.plotting_area().get_pixel_range();
    for (row, label) in labels.enumerate() {
        let (_, y) = chart.backend_coord(&(0.0, (rows - 1 - row) as f64 + 0.5));
        root.draw(&Text::new(shorten(label, 64), (x0.start - 8, y), style.clone()))?;
    }
    Ok(())
}

/// One line series over periods; `None` leaves a gap.
pub(crate) struct Line<'a> {
    pub(crate) name: &'a str,
    pub(crate) color: RGBColor,
    pub(crate) values: Vec<Option<f64>>,
}

/// Ratios (shown in percent) over periods `1..=n`, with the break-even line at 0.
pub(crate) fn lines(title: &str, unit: &str, series: &[Line<'_>]) -> Result<String, PageError> {
    let fail = failed(title);
    let periods = series.iter().map(|s| s.values.len()).max().unwrap_or(0).max(1);
    let values = series.iter().flat_map(|s| s.values.iter().flatten().copied());
    let (y_lo, y_hi) = axis(values, Some(0.0));
    let x_hi = periods as f64 + 0.5;
    let chart = svg(title, (WIDE, 360), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(10)
            .caption(title, (FONT, 20).into_font().color(&INK))
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.5..x_hi, y_lo..y_hi)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_labels(periods.min(26) + 1)
            .y_labels(8)
            .x_desc(unit)
            .y_desc("ROMI")
            .axis_desc_style((FONT, 16).into_font().color(&INK))
            .label_style((FONT, 15).into_font().color(&INK))
            // Periods are whole numbers; ticks between them stay blank.
            .x_label_formatter(&|x| {
                if (x - x.round()).abs() < tol::CHART_WHOLE_TICK && *x >= 1.0 {
                    format!("{}", x.round() as i64)
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| compact_percent(*y))
            .draw()
            .map_err(|e| fail(&e))?;
        chart
            .draw_series(LineSeries::new([(0.5, 0.0), (x_hi, 0.0)], BREAK_EVEN.stroke_width(1)))
            .map_err(|e| fail(&e))?;
        for s in series {
            let color = s.color;
            // Each run of defined values is one path, so a gap stays a gap.
            let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for (t, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) if v.is_finite() => {
                        if let Some(run) = runs.last_mut() {
                            run.push((t as f64 + 1.0, drawable(*v).clamp(y_lo, y_hi)));
                        }
                    }
                    _ => runs.push(Vec::new()),
                }
            }
            let points: Vec<(f64, f64)> = runs.iter().flatten().copied().collect();
            chart
                .draw_series(runs.into_iter().map(|r| PathElement::new(r, color.stroke_width(2))))
                .map_err(|e| fail(&e))?;
            chart
                .draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled())))
                .map_err(|e| fail(&e))?;
        }
        Ok(())
    })?;
    let mut entries: Vec<(&str, RGBColor, &str)> = series.iter().map(|s| (s.name, s.color, "line")).collect();
    entries.push(("break-even (ROMI 0)", BREAK_EVEN, "line"));
    Ok(format!("{}{chart}", legend(&entries)))
}

/// One row of a band chart: P10, P50 and P90 of a ratio.
pub(crate) struct Band {
    pub(crate) label: String,
    pub(crate) p10: f64,
    pub(crate) p50: f64,
    pub(crate) p90: f64,
}

/// Horizontal P10–P90 bands with a P50 tick per row (ratios, shown in percent), the break-even
/// line at 0.
pub(crate) fn bands(title: &str, x_desc: &str, rows: &[Band]) -> Result<String, PageError> {
    let fail = failed(title);
    let n = rows.len().max(1);
    let height = 100 + 26 * n as u32;
    let values = rows.iter().flat_map(|r| [r.p10, r.p50, r.p90]);
    let (x_lo, x_hi) = axis(values, Some(0.0));
    let chart = svg(title, (WIDE, height), |root| {
        let labels = rows.iter().map(|r| r.label.as_str());
        let mut chart = row_chart(root, title, x_desc, x_lo..x_hi, labels, &|x| compact_percent(*x))?;
        chart
            .draw_series(LineSeries::new([(0.0, 0.0), (0.0, n as f64)], BREAK_EVEN.stroke_width(1)))
            .map_err(|e| fail(&e))?;
        let at = |v: f64| drawable(v).clamp(x_lo, x_hi);
        let y = |i: usize| (n - 1 - i) as f64;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                Rectangle::new(
                    [(at(r.p10), y(i) + 0.25), (at(r.p90), y(i) + 0.75)],
                    CURRENT.mix(0.35).filled(),
                )
            }))
            .map_err(|e| fail(&e))?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                PathElement::new(
                    [(at(r.p50), y(i) + 0.15), (at(r.p50), y(i) + 0.85)],
                    CURRENT.stroke_width(3),
                )
            }))
            .map_err(|e| fail(&e))?;
        Ok(())
    })?;
    let entries = [
        ("P10–P90", RGBColor(183, 202, 225), "box"),
        ("P50", CURRENT, "line"),
        ("break-even (ROMI 0)", BREAK_EVEN, "line"),
    ];
    Ok(format!("{}{chart}", legend(&entries)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_draw_extreme_and_empty_inputs_without_nan() {
        let huge = f64::MAX;
        let svgs = [
            curve(&[(0.0, 0.0), (1e-300, 1e-300)], 0.0, (0.0, 0.0), None),
            curve(&[(0.0, 0.0), (huge, huge)], f64::INFINITY, (huge, f64::NAN), Some((1e15, 1e15))),
            bars("empty", "spend", &[], &[]),
            bars(
                "x",
                "spend",
                &["<a>".into()],
                &[Bars { name: "plan", color: CURRENT, values: vec![f64::NAN] }],
            ),
            lines(
                "weeks",
                "week",
                &[Line { name: "naive", color: NAIVE, values: vec![None, Some(huge), Some(-1.0)] }],
            ),
            lines("none", "week", &[]),
            bands("risk", "ROMI", &[Band { label: "m".into(), p10: -huge, p50: 0.0, p90: f64::NAN }]),
            bands("no rows", "ROMI", &[]),
        ];
        for svg in svgs {
            let svg = svg.expect("draws");
            assert!(svg.contains("<svg") && svg.ends_with("</svg>\n"), "{svg}");
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
    }
}
