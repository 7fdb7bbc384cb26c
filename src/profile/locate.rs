//! Where a field path (`role.rows[3].probe`) sits in a profile's JSON text, so that validation
//! errors can name a line and column like parse errors do.
//!
//! serde_json keeps no positions in parsed values; this walks the (already valid) text once.

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Splits `role.rows[3].probe` into `role`, `rows`, `3`, `probe`. `None` for a malformed path.
fn segments(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() {
            return None;
        }
        out.push(Segment::Key(key.to_string()));
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']')?;
            out.push(Segment::Index(stripped[..end].parse().ok()?));
            rest = &stripped[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// 1-based (line, column) of the value at `path`, or of its deepest ancestor present in `text`
/// (a missing field points at the object that should hold it). `None` if the text is not JSON.
pub(crate) fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let target = segments(path)?;
    let mut walker = Walker {
        bytes: text.as_bytes(),
        pos: 0,
        target: &target,
        best: (0, 0),
    };
    let mut current = Vec::new();
    walker.value(&mut current)?;
    let offset = walker.best.1;
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

struct Walker<'a> {
    bytes: &'a [u8],
    pos: usize,
    target: &'a [Segment],
    /// (depth matched, byte offset) of the deepest prefix of `target` seen so far.
    best: (usize, usize),
}

impl Walker<'_> {
    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.pos += 1;
        }
    }

    fn value(&mut self, current: &mut Vec<Segment>) -> Option<()> {
        self.skip_ws();
        let depth = current.len();
        if depth >= self.best.0 && self.target.starts_with(current) {
            self.best = (depth, self.pos);
        }
        match self.bytes.get(self.pos)? {
            b'{' => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.pos)? {
                        b'}' => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' => self.pos += 1,
                        b'"' => {
                            let key = self.string()?;
                            self.skip_ws();
                            if self.bytes.get(self.pos)? != &b':' {
                                return None;
                            }
                            self.pos += 1;
                            current.push(Segment::Key(key));
                            self.value(current)?;
                            current.pop();
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.pos)? {
                        b']' => {
                            self.pos += 1;
                            return Some(());
                        }
                        b',' => self.pos += 1,
                        _ => {
                            current.push(Segment::Index(index));
                            self.value(current)?;
                            current.pop();
                            index += 1;
                        }
                    }
                }
            }
            b'"' => self.string().map(|_| ()),
            _ => {
                // Numbers, true, false, null: up to the next delimiter.
                let start = self.pos;
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.pos += 1;
                }
                (self.pos > start).then_some(())
            }
        }
    }

    /// Reads a string starting at its opening quote; returns it with escapes left as written
    /// (profile keys have none).
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.bytes.get(self.pos)? {
                b'\\' => self.pos += 2,
                b'"' => {
                    let s = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
                    self.pos += 1;
                    return Some(s.to_string());
                }
                _ => self.pos += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

    const TEXT: &str = "{\n  \"id\": \"x\",\n  \"role\": {\n    \"rows\": [\n      {\"module\": \"A\"},\n      {\n        \"module\": \"B\",\n        \"probe\": \"/p\"\n      }\n    ]\n  }\n}\n";

    #[test]
    fn finds_nested_fields_and_array_items() {
        assert_eq!(locate(TEXT, "id"), Some((2, 9)));
        assert_eq!(locate(TEXT, "role.rows[0]"), Some((5, 7)));
        assert_eq!(locate(TEXT, "role.rows[1].probe"), Some((8, 18)));
    }

    #[test]
    fn a_missing_field_points_at_its_deepest_present_ancestor() {
        assert_eq!(locate(TEXT, "role.rows[1].why"), Some((6, 7)));
        assert_eq!(locate(TEXT, "role.rows[7]"), Some((4, 13)));
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,64}", path in "[a-z\\[\\]0-9.]{0,12}") {
            let _ = locate(&text, &path);
        }
    }

    #[test]
    fn bad_paths_and_bad_text_give_none() {
        assert_eq!(locate(TEXT, "role..rows"), None);
        assert_eq!(locate(TEXT, "role.rows[x]"), None);
        assert_eq!(locate("{\"a\": ", "a"), None);
        assert_eq!(locate("{\"a\": \"unterminated", "a"), None);
    }
}
