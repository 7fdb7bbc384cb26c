//! What docs/architecture.md ("How it is built") describes, kept true by reading the source files:
//! no import circle between files under `src/`, `cw` knowing nothing of the front ends, clap only
//! in `cli`, no file over 700 lines, and a `main.rs` that only picks a mode.
//!
//! An import is a `crate::…`, `super::…` or `self::…` path in code (a `use` tree is expanded;
//! comments, string literals and `#[cfg(test)] mod tests` blocks are skipped). A path names the
//! longest module file it starts with. A child naming its parent (or any ancestor) is not an
//! edge: a parent's `pub use` of a child's item is how a module keeps its public paths.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module as its path from the crate root (`["cw", "client", "send"]`; `[]` is `lib.rs`).
type Module = Vec<String>;

const MAX_LINES: usize = 700;
const MAX_MAIN_LINES: usize = 40;
/// What the ConnectWise client must never import.
const NOT_FOR_CW: [&str; 8] = [
    "profile", "check", "wizard", "cli", "plain", "audit", "members", "sim",
];

struct Source {
    /// Relative to the crate root, for messages (`src/cw/site.rs`).
    shown: String,
    /// `src/main.rs`: the binary, another crate than the library.
    is_main: bool,
    module: Module,
    text: String,
    /// The text with comments, literals and test modules blanked out.
    code: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<Source> {
    let root = src_dir();
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    assert!(!paths.is_empty(), "no .rs file under {}", root.display());
    paths
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&root).expect("under src");
            let mut module: Module = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let last = module.pop().expect("a file name");
            let stem = last.strip_suffix(".rs").expect(".rs").to_string();
            if !matches!(stem.as_str(), "mod" | "lib" | "main") {
                module.push(stem);
            }
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let code = without_test_modules(&blank_comments_and_literals(&text));
            let shown = Path::new("src").join(relative).display().to_string();
            let is_main = relative == Path::new("main.rs");
            Source {
                shown,
                is_main,
                module,
                text,
                code,
            }
        })
        .collect()
}

/// Where a block comment starting at `i` ends (just past its `*/`; comments nest).
fn block_comment_end(chars: &[char], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// Where a raw string ends, from its `#`s (at `j`, just past the `r`): just past the closing
/// quote and as many `#`s.
fn raw_string_end(chars: &[char], mut j: usize) -> usize {
    let mut hashes = 0;
    while chars[j] == '#' {
        hashes += 1;
        j += 1;
    }
    j += 1; // the opening quote
    while j < chars.len() {
        if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
            return j + 1 + hashes;
        }
        j += 1;
    }
    j
}

/// The text with comments, string and character literals replaced by spaces (newlines kept).
fn blank_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let after_ident = i > 0 && is_ident(chars[i - 1]);
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let end = block_comment_end(&chars, i);
            for &ch in &chars[i..end] {
                blank(&mut out, ch);
            }
            i = end;
        } else if !after_ident && (c == 'r' || (c == 'b' && next == Some('r'))) && {
            // A raw string: r"…", r#"…"#, br"…".
            let mut j = i + if c == 'b' { 2 } else { 1 };
            while chars.get(j) == Some(&'#') {
                j += 1;
            }
            chars.get(j) == Some(&'"')
        } {
            let j = raw_string_end(&chars, i + if c == 'b' { 2 } else { 1 });
            for &ch in &chars[i..j.min(chars.len())] {
                blank(&mut out, ch);
            }
            i = j;
        } else if c == '"' {
            blank(&mut out, c);
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
                blank(&mut out, chars[i]);
                i += 1;
            }
            if i < chars.len() {
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a): only the first is
            // blanked.
            let end = if next == Some('\\') {
                (i + 3..chars.len()).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for &ch in &chars[i..=end] {
                        blank(&mut out, ch);
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The code with every `#[cfg(test)] mod NAME { … }` block blanked out (newlines kept).
fn without_test_modules(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out: Vec<char> = chars.clone();
    let attribute: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + attribute.len() <= chars.len() {
        if chars[i..i + attribute.len()] != attribute[..] {
            i += 1;
            continue;
        }
        // `mod NAME {` after the attribute (and any other attributes or `pub`)?
        let mut j = i + attribute.len();
        let rest: String = chars[j..chars.len().min(j + 200)].iter().collect();
        let trimmed = rest.trim_start();
        let skipped = rest.len() - trimmed.len();
        let is_mod = trimmed.starts_with("mod ") || trimmed.starts_with("pub mod ");
        if !is_mod {
            i += attribute.len();
            continue;
        }
        j += skipped;
        while j < chars.len() && chars[j] != '{' && chars[j] != ';' {
            j += 1;
        }
        if j >= chars.len() || chars[j] == ';' {
            i = j;
            continue;
        }
        let mut depth = 0usize;
        let mut end = j;
        while end < chars.len() {
            match chars[end] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            end += 1;
        }
        for ch in out.iter_mut().take((end + 1).min(chars.len())).skip(i) {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
        i = end + 1;
    }
    out.into_iter().collect()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A cursor over code for reading paths and `use` trees.
struct Cursor<'a> {
    chars: &'a [char],
    at: usize,
}

impl Cursor<'_> {
    fn skip_space(&mut self) {
        while self.at < self.chars.len() && self.chars[self.at].is_whitespace() {
            self.at += 1;
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        let token: Vec<char> = token.chars().collect();
        if self.chars[self.at..].starts_with(&token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        self.skip_space();
        let start = self.at;
        while self.at < self.chars.len() && is_ident(self.chars[self.at]) {
            self.at += 1;
        }
        (self.at > start).then(|| self.chars[start..self.at].iter().collect())
    }

    /// After a segment: more `::segment`s, a `::{group}` or a `::*`, each finished path added
    /// to `out` with `prefix` in front.
    fn rest_of_path(&mut self, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        let mut path = prefix;
        loop {
            let before = self.at;
            if !self.eat("::") {
                self.at = before;
                break;
            }
            if self.eat("{") {
                self.group(&path, out);
                return;
            }
            if self.eat("*") {
                break;
            }
            match self.ident() {
                Some(segment) => path.push(segment),
                None => {
                    self.at = before;
                    break;
                }
            }
        }
        out.push(path);
    }

    /// The items of a `{ … }` use group, the `{` already read.
    fn group(&mut self, prefix: &[String], out: &mut Vec<Vec<String>>) {
        loop {
            if self.at >= self.chars.len() || self.eat("}") {
                return;
            }
            if self.eat(",") {
                continue;
            }
            if self.eat("{") {
                self.group(prefix, out);
                continue;
            }
            if self.eat("*") {
                out.push(prefix.to_vec());
                continue;
            }
            match self.ident() {
                Some(first) => {
                    let mut path = prefix.to_vec();
                    if first != "self" {
                        path.push(first);
                    }
                    self.rest_of_path(path, out);
                    if self.eat("as") {
                        self.ident();
                    }
                }
                // Something a use tree does not hold: stop reading this group.
                None => return,
            }
        }
    }
}

/// Every `crate::`, `super::` and `self::` path in the code, as an absolute module path.
fn absolute_paths(module: &Module, code: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_ident(chars[i]) || (i > 0 && is_ident(chars[i - 1])) {
            i += 1;
            continue;
        }
        let mut cursor = Cursor {
            chars: &chars,
            at: i,
        };
        let word = cursor.ident().expect("an identifier");
        let after_word = cursor.at;
        let base: Option<Module> = match word.as_str() {
            "crate" => Some(Vec::new()),
            "super" => Some(module[..module.len().saturating_sub(1)].to_vec()),
            "self" => Some(module.clone()),
            _ => None,
        };
        let preceded_by_path = chars[..i].iter().rev().find(|c| !c.is_whitespace()) == Some(&':');
        if let (Some(base), false) = (base, preceded_by_path) {
            let mut paths = Vec::new();
            cursor.rest_of_path(Vec::new(), &mut paths);
            for relative in paths {
                let mut absolute = base.clone();
                let mut segments = relative.into_iter().peekable();
                while segments.peek().is_some_and(|s| s == "super") {
                    segments.next();
                    absolute.pop();
                }
                absolute.extend(segments.filter(|s| s != "self"));
                found.push(absolute);
            }
            i = cursor.at.max(after_word);
        } else {
            i = after_word;
        }
    }
    found
}

/// The module file a path names: its longest prefix that is a module.
fn resolve(path: &[String], modules: &BTreeSet<Module>) -> Option<Module> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| modules.contains(prefix))
}

/// The library's files (`main.rs` is the binary, another crate) and their import edges.
fn graph(sources: &[Source]) -> BTreeMap<Module, BTreeSet<Module>> {
    let library: Vec<&Source> = sources.iter().filter(|s| !s.is_main).collect();
    let modules: BTreeSet<Module> = library.iter().map(|s| s.module.clone()).collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for source in library {
        let targets = edges.entry(source.module.clone()).or_default();
        for path in absolute_paths(&source.module, &source.code) {
            let Some(target) = resolve(&path, &modules) else {
                continue;
            };
            let is_ancestor = source.module.starts_with(&target);
            if !is_ancestor {
                targets.insert(target);
            }
        }
    }
    edges
}

/// Strongly connected components of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct Tarjan<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        found: Vec<Vec<Module>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a Module) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                loop {
                    let w = self.stack.pop().expect("on the stack");
                    self.on_stack.remove(w);
                    component.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut tarjan = Tarjan {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !tarjan.index.contains_key(v) {
            tarjan.visit(v);
        }
    }
    tarjan.found
}

fn shown(module: &Module, sources: &[Source]) -> String {
    sources
        .iter()
        .find(|s| &s.module == module && !s.is_main)
        .map_or_else(|| module.join("::"), |s| s.shown.clone())
}

#[test]
fn no_import_circle_between_files() {
    let sources = sources();
    let edges = graph(&sources);
    let found = cycles(&edges);
    let mut report = String::new();
    for component in &found {
        let files: Vec<String> = component.iter().map(|m| shown(m, &sources)).collect();
        report.push_str(&format!("circle: {}\n", files.join(", ")));
        for from in component {
            for to in &edges[from] {
                if component.contains(to) {
                    report.push_str(&format!(
                        "    {} imports {}\n",
                        shown(from, &sources),
                        shown(to, &sources)
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} import circle(s) between files under src/; move the shared items into a leaf both \
         can import:\n{report}",
        found.len()
    );
}

#[test]
fn cw_imports_no_front_end() {
    let sources = sources();
    let mut wrong = Vec::new();
    for source in sources
        .iter()
        .filter(|s| s.module.first().is_some_and(|m| m == "cw"))
    {
        for path in absolute_paths(&source.module, &source.code) {
            if path
                .first()
                .is_some_and(|first| NOT_FOR_CW.contains(&first.as_str()))
            {
                wrong.push(format!("{} uses crate::{}", source.shown, path.join("::")));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "src/cw (the ConnectWise client) must import nothing from {NOT_FOR_CW:?}:\n{}",
        wrong.join("\n")
    );
}

/// The crates only a front end or the network layer may use: the setup core knows no terminal
/// and no HTTP.
const NOT_FOR_SETUP_CRATES: [&str; 7] = [
    "ratatui",
    "crossterm",
    "reqwest",
    "hyper",
    "axum",
    "clap",
    "arboard",
];
/// What the setup core must never import: the front ends and the command line.
const NOT_FOR_SETUP: [&str; 4] = ["wizard", "plain", "cli", "sim"];

/// Every `crate::…` path `source` uses whose first segment is in `banned`, one line each.
fn uses_of(source: &Source, banned: &[&str]) -> Vec<String> {
    absolute_paths(&source.module, &source.code)
        .into_iter()
        .filter(|path| {
            path.first()
                .is_some_and(|first| banned.contains(&first.as_str()))
        })
        .map(|path| format!("{} uses crate::{}", source.shown, path.join("::")))
        .collect()
}

/// The external crates `source` names in code (`ratatui::…`), from `banned`.
fn crates_used(source: &Source, banned: &[&str]) -> Vec<String> {
    let chars: Vec<char> = source.code.chars().collect();
    let mut found = Vec::new();
    for name in banned {
        let needle: Vec<char> = format!("{name}::").chars().collect();
        let hit = (0..chars.len()).any(|i| {
            (i == 0 || !is_ident(chars[i - 1]) && chars[i - 1] != ':')
                && chars[i..].starts_with(&needle)
        });
        if hit {
            found.push(format!("{} uses the {name} crate", source.shown));
        }
    }
    found
}

#[test]
fn plain_mode_imports_nothing_from_the_wizard() {
    let sources = sources();
    let plain = Path::new("src").join("plain");
    let mut wrong: Vec<String> = sources
        .iter()
        .filter(|s| Path::new(&s.shown).starts_with(&plain))
        .flat_map(|s| uses_of(s, &["wizard"]))
        .collect();
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "src/plain must build on the setup core (crate::setup), not on the wizard:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_setup_core_knows_no_front_end_no_terminal_and_no_http() {
    let sources = sources();
    let setup = Path::new("src").join("setup");
    let core: Vec<&Source> = sources
        .iter()
        .filter(|s| Path::new(&s.shown).starts_with(&setup))
        .collect();
    assert!(core.len() >= 5, "the setup core is under src/setup");
    let mut wrong: Vec<String> = core
        .iter()
        .flat_map(|s| {
            let mut found = uses_of(s, &NOT_FOR_SETUP);
            found.extend(crates_used(s, &NOT_FOR_SETUP_CRATES));
            found
        })
        .collect();
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "src/setup (the setup both front ends share) must import nothing from {NOT_FOR_SETUP:?} \
         and use none of {NOT_FOR_SETUP_CRATES:?}:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_crate_scan_finds_a_crate_path_and_skips_lookalikes() {
    let source = |code: &str| Source {
        shown: "src/setup/x.rs".into(),
        is_main: false,
        module: vec!["setup".into(), "x".into()],
        text: code.into(),
        code: code.into(),
    };
    assert_eq!(
        crates_used(&source("use ratatui::text::Line;"), &["ratatui"]).len(),
        1
    );
    assert!(crates_used(&source("use my_ratatui::Line; x::ratatui::y"), &["ratatui"]).is_empty());
    assert_eq!(
        uses_of(&source("use crate::wizard::app::App;"), &["wizard"]),
        vec!["src/setup/x.rs uses crate::wizard::app::App".to_string()]
    );
}

#[test]
fn clap_only_under_cli() {
    let sources = sources();
    let cli = Path::new("src").join("cli");
    let mut wrong = Vec::new();
    for source in sources
        .iter()
        .filter(|s| !Path::new(&s.shown).starts_with(&cli))
    {
        for (n, line) in source.text.lines().enumerate() {
            let chars: Vec<char> = line.chars().collect();
            let mentions = (0..chars.len()).any(|i| {
                (i == 0 || !is_ident(chars[i - 1]))
                    && chars[i..]
                        .iter()
                        .take(4)
                        .collect::<String>()
                        .eq_ignore_ascii_case("clap")
            });
            if mentions {
                wrong.push(format!("{}:{}: {}", source.shown, n + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "only src/cli knows the command line; clap appears elsewhere:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_file_over_700_lines() {
    let sources = sources();
    let mut long: Vec<String> = sources
        .iter()
        .filter(|s| s.text.lines().count() > MAX_LINES)
        .map(|s| format!("{} has {} lines", s.shown, s.text.lines().count()))
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "a file under src/ is longer than {MAX_LINES} lines; split it by concern:\n{}",
        long.join("\n")
    );
}

#[test]
fn main_only_picks_a_mode() {
    let path = src_dir().join("main.rs");
    let text = fs::read_to_string(&path).expect("src/main.rs");
    let lines = text.lines().count();
    assert!(
        lines < MAX_MAIN_LINES,
        "src/main.rs has {lines} lines; it should only hand the arguments to cli (under \
         {MAX_MAIN_LINES})"
    );
}

/// The reader itself, on small inputs: a checker that reads nothing would pass everything.
#[test]
fn the_reader_finds_paths_and_skips_comments_literals_and_tests() {
    let module: Module = vec!["a".into(), "b".into()];
    let code = r##"
        use crate::x::{y::Z, self, w as V, q::{r, s::*}};
        use super::{c, d::E};
        // use crate::commented;
        /* crate::blocked */
        let s = "crate::quoted"; let t = r#"crate::raw"#; let u = 'x'; let v: &'static str = s;
        fn f() { self::g(); super::super::top::h(); }
        #[cfg(test)]
        mod tests { use crate::only_in_tests; }
    "##;
    let cleaned = without_test_modules(&blank_comments_and_literals(code));
    let mut found: Vec<String> = absolute_paths(&module, &cleaned)
        .into_iter()
        .map(|p| p.join("::"))
        .collect();
    found.sort();
    let mut expected = vec![
        "x::y::Z", "x", "x::w", "x::q::r", "x::q::s", "a::c", "a::d::E", "a::b::g", "top::h",
    ];
    expected.sort_unstable();
    assert_eq!(found, expected);

    // A two-file circle is found; a child naming its parent is not an edge.
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    let m = |s: &str| -> Module { s.split('/').map(String::from).collect() };
    edges.entry(m("p/one")).or_default().insert(m("p/two"));
    edges.entry(m("p/two")).or_default().insert(m("p/one"));
    edges.entry(m("p")).or_default().insert(m("p/one"));
    assert_eq!(cycles(&edges), vec![vec![m("p/one"), m("p/two")]]);
}

/// The long flags each `#[arg(...)]` field and each builder `.long("...")` under `src/` defines,
/// with where (test modules left out: a test may build its own parser).
fn flag_definitions(sources: &[Source]) -> BTreeMap<String, Vec<String>> {
    let mut defined: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for source in sources {
        let text = without_test_modules(&source.text);
        let mut rest = text.as_str();
        while let Some(at) = rest.find("#[arg(") {
            let body_start = at + "#[arg(".len();
            let mut depth = 1;
            let mut end = body_start;
            for (i, c) in rest[body_start..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = body_start + i;
                    break;
                }
            }
            let body = &rest[body_start..end];
            // The field the attribute sits on: the first `name:` after it.
            let after = &rest[end..];
            let field = after
                .lines()
                .skip(1)
                .map(str::trim)
                .find(|l| !l.starts_with("#[") && !l.starts_with("//") && l.contains(':'))
                .and_then(|l| l.trim_start_matches("pub ").split(':').next())
                .map(|f| f.trim().to_string())
                .unwrap_or_default();
            let long = body.split(',').map(str::trim).find_map(|part| {
                if part == "long" {
                    Some(field.replace('_', "-"))
                } else {
                    part.strip_prefix("long")
                        .map(str::trim_start)
                        .and_then(|p| p.strip_prefix('='))
                        .map(|p| p.trim().trim_matches('"').to_string())
                }
            });
            if let Some(long) = long {
                defined.entry(long).or_default().push(source.shown.clone());
            }
            rest = &rest[end..];
        }
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find(".long(\"") {
                let name = &rest[at + ".long(\"".len()..];
                let name = &name[..name.find('"').unwrap_or(name.len())];
                defined.entry(name.to_string()).or_default().push(format!(
                    "{}:{}",
                    source.shown,
                    n + 1
                ));
                rest = &rest[at + 1..];
            }
        }
    }
    defined
}

#[test]
fn each_connection_flag_is_defined_once() {
    let defined = flag_definitions(&sources());
    for flag in [
        "site",
        "company",
        "client-id",
        "profile",
        "profile-file",
        "public-key",
        "private-key-stdin",
        "json",
        "timeout",
        "demo",
    ] {
        let places = defined.get(flag).cloned().unwrap_or_default();
        assert_eq!(
            places.len(),
            1,
            "--{flag} is defined {} times (once is the rule; a command words its help with \
             mut_arg): {places:?}",
            places.len()
        );
    }
    // And the commands that take them share those definitions (flattened, not left out).
    use clap::CommandFactory;
    let top = cwsetup::cli::Cli::command();
    let longs = |command: &clap::Command| -> Vec<String> {
        command
            .get_arguments()
            .filter_map(|a| a.get_long().map(str::to_string))
            .collect()
    };
    let sub = |name: &str| {
        top.find_subcommand(name)
            .unwrap_or_else(|| panic!("cwsetup {name}"))
            .clone()
    };
    for (name, command) in [
        ("cwsetup", top.clone()),
        ("check", sub("check")),
        ("audit", sub("audit")),
        ("rotate", sub("rotate")),
        ("members", sub("members")),
    ] {
        let longs = longs(&command);
        for flag in [
            "site",
            "company",
            "client-id",
            "profile",
            "profile-file",
            "timeout",
            "demo",
        ] {
            assert!(longs.iter().any(|l| l == flag), "{name} lacks --{flag}");
        }
    }
    let role = longs(&sub("role"));
    assert!(role.iter().any(|l| l == "profile") && role.iter().any(|l| l == "profile-file"));
}

#[test]
fn the_flag_reader_finds_fields_and_builder_flags() {
    let source = |text: &str| Source {
        shown: "src/cli/x.rs".into(),
        is_main: false,
        module: vec!["cli".into(), "x".into()],
        text: text.into(),
        code: String::new(),
    };
    let text = "struct A {\n    /// Doc.\n    #[arg(long, env = \"CW_SITE\")]\n    pub site: Option<String>,\n    #[arg(\n        long = \"client-id\",\n        value_name = \"ID\"\n    )]\n    pub client_id: Option<String>,\n    #[arg(long)]\n    pub private_key_stdin: bool,\n    #[arg(value_name = \"FILE\")]\n    files: Vec<String>,\n}\nfn f() { clap::Arg::new(\"x\").long(\"site\"); }\n";
    let defined = flag_definitions(&[source(text)]);
    assert_eq!(defined["site"].len(), 2, "{defined:?}");
    assert_eq!(defined["client-id"].len(), 1, "{defined:?}");
    assert_eq!(defined["private-key-stdin"].len(), 1, "{defined:?}");
    assert_eq!(defined.len(), 3, "{defined:?}");
}
