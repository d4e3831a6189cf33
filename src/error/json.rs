//! Where a JSON file is wrong: the parser's message and the line and column to show, shared by
//! the plan-file and problem-file readers so both report a malformed file the same way.

/// The parser's message without its own " at line L column C" suffix, and the 1-based line and
/// column to report (the position is printed once, by the error that holds it).
pub(crate) fn locate(json: &str, e: &serde_json::Error) -> (String, usize, usize) {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    // Only a value the parser read whole is placed at its object; a syntax error is where it is
    // (a stray `}` closes no object).
    let whole = e.classify() == serde_json::error::Category::Data;
    let (line, column) =
        whole.then(|| object_start(json, e.line(), e.column())).flatten().unwrap_or((e.line(), e.column()));
    (message, line, column)
}

/// When serde reports an error at a closing brace — as it does for internally tagged values
/// (curves, lags, policies), which it reads whole before checking them, sometimes with the next
/// brace already peeked — the line and column of the opening brace of the innermost object that
/// closes there, so the message points at the object holding the bad tag or value rather than
/// after it (or past the end of the file).
fn object_start(json: &str, line: usize, column: usize) -> Option<(usize, usize)> {
    let bytes = json.as_bytes();
    let line_start = if line <= 1 {
        0
    } else {
        bytes.iter().enumerate().filter(|&(_, &b)| b == b'\n').nth(line - 2)?.0 + 1
    };
    // `column` is 1-based: the byte serde stopped at is the one before it.
    let end = (line_start + column).min(bytes.len());
    let mut close = bytes[..end].iter().rposition(|b| !b.is_ascii_whitespace())?;
    if bytes[close] != b'}' {
        return None;
    }
    // Step back over braces that close right after another one: the innermost comes first.
    while let Some(inner) = bytes[..close].iter().rposition(|b| !b.is_ascii_whitespace()) {
        if bytes[inner] != b'}' {
            break;
        }
        close = inner;
    }
    let (mut open, mut in_string, mut escaped) = (Vec::new(), false, false);
    for (i, &b) in bytes.iter().enumerate().take(close + 1) {
        match (in_string, b) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') => in_string = false,
            (true, _) => {}
            (false, b'"') => in_string = true,
            (false, b'{') => open.push(i),
            (false, b'}') if i == close => {
                let start = open.pop()?;
                let line = 1 + bytes[..start].iter().filter(|&&b| b == b'\n').count();
                let column =
                    start - bytes[..start].iter().rposition(|&b| b == b'\n').map_or(0, |n| n + 1) + 1;
                return Some((line, column));
            }
            (false, b'}') => {
                open.pop();
            }
            _ => {}
        }
    }
    None
}
