//! ConnectWise list parameters: `page`, `pageSize`, `conditions`, `fields`, and `Link` headers.

use serde_json::{Map, Value};

pub const DEFAULT_PAGE_SIZE: usize = 25;
pub const MAX_PAGE_SIZE: usize = 1000;

/// A query the sim refuses, with the parameter and field to name in the 400 body.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError {
    pub parameter: &'static str,
    pub field: String,
    pub message: String,
}

impl QueryError {
    fn new(parameter: &'static str, field: &str, message: String) -> Self {
        QueryError {
            parameter,
            field: field.to_string(),
            message,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
struct Condition {
    /// `parentAgreement/id` → `["parentAgreement", "id"]`.
    path: Vec<String>,
    op: Op,
    value: Value,
}

/// The parsed list parameters of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub page: usize,
    pub page_size: usize,
    conditions: Vec<Condition>,
    fields: Option<Vec<Vec<String>>>,
    /// Every other parameter, kept for the `Link` URLs.
    others: Vec<(String, String)>,
}

impl ListQuery {
    pub fn parse(query: Option<&str>) -> Result<ListQuery, QueryError> {
        let mut parsed = ListQuery {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            conditions: Vec::new(),
            fields: None,
            others: Vec::new(),
        };
        for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let lower = key.to_ascii_lowercase();
            match lower.as_str() {
                "page" => {
                    let n = parse_number("page", &value)?;
                    parsed.page = n.max(1);
                }
                "pagesize" => {
                    let n = parse_number("pageSize", &value)?;
                    // ConnectWise clamps rather than refusing.
                    parsed.page_size = if n == 0 {
                        DEFAULT_PAGE_SIZE
                    } else {
                        n.min(MAX_PAGE_SIZE)
                    };
                }
                _ => {
                    if lower == "conditions" {
                        parsed.conditions = parse_conditions(&value)?;
                    } else if lower == "fields" {
                        let fields: Vec<Vec<String>> = value
                            .split(',')
                            .map(str::trim)
                            .filter(|f| !f.is_empty())
                            .map(|f| f.split('/').map(str::to_string).collect())
                            .collect();
                        parsed.fields = (!fields.is_empty()).then_some(fields);
                    }
                    parsed.others.push((key.into_owned(), value.into_owned()));
                }
            }
        }
        Ok(parsed)
    }

    /// The records matching every condition. A condition on a field the collection does not
    /// have is refused, as ConnectWise does.
    pub fn filter(
        &self,
        records: &[Value],
        optional_keys: &[&str],
    ) -> Result<Vec<Value>, QueryError> {
        for c in &self.conditions {
            let Some(first) = c.path.first() else {
                continue;
            };
            let known = optional_keys.iter().any(|k| k.eq_ignore_ascii_case(first))
                || records.iter().any(|r| lookup(r, &c.path[..1]).is_some());
            if !known && !records.is_empty() {
                return Err(QueryError::new(
                    "conditions",
                    &c.path.join("/"),
                    format!("Unknown field '{}' in conditions.", c.path.join("/")),
                ));
            }
        }
        Ok(records
            .iter()
            .filter(|r| self.conditions.iter().all(|c| c.matches(r)))
            .cloned()
            .collect())
    }

    /// The record cut down to `fields` (nested paths kept nested), or whole without `fields`.
    pub fn project(&self, record: Value) -> Value {
        let Some(fields) = &self.fields else {
            return record;
        };
        let mut out = Value::Object(Map::new());
        for path in fields {
            if let Some(value) = lookup(&record, path) {
                insert_path(&mut out, path, value.clone());
            }
        }
        out
    }

    /// The `Link` header for page `self.page` of `total` records, or `None` when one page holds
    /// everything (ConnectWise then sends no `Link`).
    pub fn link_header(&self, base: &str, total: usize) -> Option<String> {
        let last = total.div_ceil(self.page_size).max(1);
        if last <= 1 {
            return None;
        }
        let url = |page: usize| {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &self.others {
                query.append_pair(k, v);
            }
            query.append_pair("pageSize", &self.page_size.to_string());
            query.append_pair("page", &page.to_string());
            format!("<{base}?{}>", query.finish())
        };
        let mut links = Vec::new();
        if self.page > 1 {
            links.push(format!("{}; rel=\"first\"", url(1)));
            links.push(format!("{}; rel=\"prev\"", url((self.page - 1).min(last))));
        }
        if self.page < last {
            links.push(format!("{}; rel=\"next\"", url(self.page + 1)));
            links.push(format!("{}; rel=\"last\"", url(last)));
        }
        Some(links.join(", "))
    }
}

fn parse_number(name: &'static str, value: &str) -> Result<usize, QueryError> {
    value.trim().parse::<usize>().map_err(|_| {
        QueryError::new(
            name,
            name,
            format!("{name} must be a whole number, not '{value}'."),
        )
    })
}

impl Condition {
    fn matches(&self, record: &Value) -> bool {
        let actual = lookup(record, &self.path).unwrap_or(&Value::Null);
        match self.op {
            Op::Eq => loosely_equal(actual, &self.value),
            Op::Ne => !loosely_equal(actual, &self.value),
            Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                let ordering = match (actual, &self.value) {
                    (Value::Number(a), Value::Number(b)) => a
                        .as_f64()
                        .zip(b.as_f64())
                        .and_then(|(a, b)| a.partial_cmp(&b)),
                    (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
                    _ => None,
                };
                match ordering {
                    Some(o) => match self.op {
                        Op::Lt => o.is_lt(),
                        Op::Le => o.is_le(),
                        Op::Gt => o.is_gt(),
                        _ => o.is_ge(),
                    },
                    None => false,
                }
            }
        }
    }
}

/// Numbers compare by value, strings case-insensitively (ConnectWise's SQL collation).
fn loosely_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x.eq_ignore_ascii_case(y),
        _ => a == b,
    }
}

/// Follow a path through nested objects, matching keys case-insensitively.
fn lookup<'a>(record: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut current = record;
    for segment in path {
        let map = current.as_object()?;
        current = map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(segment))
            .map(|(_, v)| v)?;
    }
    Some(current)
}

fn insert_path(out: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = out;
    for segment in parents {
        let Some(map) = current.as_object_mut() else {
            return;
        };
        current = map
            .entry(segment.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Some(map) = current.as_object_mut() {
        map.insert(last.clone(), value);
    }
}

/// `a/b=1 and c!="x y"` → conditions. Bad syntax is a 400 naming the clause.
fn parse_conditions(text: &str) -> Result<Vec<Condition>, QueryError> {
    split_and(text)
        .into_iter()
        .filter(|clause| !clause.trim().is_empty())
        .map(|clause| parse_clause(clause.trim()))
        .collect()
}

/// Split on ` and ` outside double quotes (case-insensitive).
fn split_and(text: &str) -> Vec<&str> {
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut parts = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes && bytes[i..].starts_with(b" and ") {
            parts.push(&text[start..i]);
            start = i + 5;
            i += 5;
            continue;
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

fn parse_clause(clause: &str) -> Result<Condition, QueryError> {
    const OPS: [(&str, Op); 6] = [
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("=", Op::Eq),
        ("<", Op::Lt),
        (">", Op::Gt),
    ];
    let found = OPS
        .iter()
        .filter_map(|(token, op)| clause.find(token).map(|at| (at, *token, *op)))
        .min_by_key(|(at, token, _)| (*at, usize::MAX - token.len()));
    let Some((at, token, op)) = found else {
        return Err(QueryError::new(
            "conditions",
            clause,
            format!("Cannot read the condition '{clause}': expected field=value."),
        ));
    };
    let field = clause[..at].trim();
    let raw = clause[at + token.len()..].trim();
    let valid_field = !field.is_empty()
        && field
            .split('/')
            .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    if !valid_field {
        return Err(QueryError::new(
            "conditions",
            field,
            format!("Cannot read the field name in the condition '{clause}'."),
        ));
    }
    let value = if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Value::String(inner.to_string())
    } else if raw.eq_ignore_ascii_case("null") {
        Value::Null
    } else if raw.eq_ignore_ascii_case("true") {
        Value::Bool(true)
    } else if raw.eq_ignore_ascii_case("false") {
        Value::Bool(false)
    } else if let Some(date) = raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Value::String(date.to_string())
    } else if let Ok(n) = raw.parse::<i64>() {
        Value::from(n)
    } else if let Ok(n) = raw.parse::<f64>() {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    } else {
        return Err(QueryError::new(
            "conditions",
            field,
            format!("Cannot read the value in the condition '{clause}': quote strings (\"...\")."),
        ));
    };
    Ok(Condition {
        path: field.split('/').map(str::to_string).collect(),
        op,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conditions_on_nested_ids_and_quoted_strings() {
        let q = ListQuery::parse(Some(
            "conditions=parentAgreement%2Fid%3D12%20and%20agreementStatus%3D%22Active%22",
        ))
        .expect("valid query");
        let records = vec![
            json!({"id": 1, "agreementStatus": "Active", "parentAgreement": {"id": 12}}),
            json!({"id": 2, "agreementStatus": "Expired", "parentAgreement": {"id": 12}}),
            json!({"id": 3, "agreementStatus": "Active"}),
        ];
        let hits = q.filter(&records, &[]).expect("known fields");
        assert_eq!(hits, vec![records[0].clone()]);
    }

    #[test]
    fn unknown_condition_field_is_refused() {
        let q = ListQuery::parse(Some("conditions=colour%3D%22red%22")).expect("syntax is fine");
        let err = q
            .filter(&[json!({"id": 1})], &[])
            .expect_err("unknown field");
        assert_eq!(err.field, "colour");
    }

    #[test]
    fn unquoted_string_values_are_refused() {
        let err = ListQuery::parse(Some("conditions=name%3DAcme")).expect_err("unquoted");
        assert!(err.message.contains("quote"), "{}", err.message);
    }

    #[test]
    fn page_size_is_clamped_and_link_names_next_and_last() {
        let q = ListQuery::parse(Some("pageSize=5000&page=2")).expect("valid");
        assert_eq!(q.page_size, MAX_PAGE_SIZE);
        let q = ListQuery::parse(Some("pageSize=10&page=2&fields=id")).expect("valid");
        let link = q.link_header("http://h/x", 35).expect("several pages");
        assert!(
            link.contains("<http://h/x?fields=id&pageSize=10&page=3>; rel=\"next\""),
            "{link}"
        );
        assert!(link.contains("page=4>; rel=\"last\""), "{link}");
        assert!(link.contains("page=1>; rel=\"prev\""), "{link}");
        assert_eq!(q.link_header("http://h/x", 10), None);
    }

    #[test]
    fn fields_keep_nested_paths() {
        let q = ListQuery::parse(Some("fields=id,type/name")).expect("valid");
        let r = q.project(json!({"id": 1, "name": "x", "type": {"id": 2, "name": "T"}}));
        assert_eq!(r, json!({"id": 1, "type": {"name": "T"}}));
    }

    #[test]
    fn non_numeric_page_is_refused() {
        let err = ListQuery::parse(Some("page=two")).expect_err("not a number");
        assert_eq!(err.parameter, "page");
    }
}
