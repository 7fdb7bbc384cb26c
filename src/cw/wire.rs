//! Reading server answers without building what cwsetup does not use.
//!
//! A `serde_json::Value` tree costs about 15 times the bytes of a body made of small objects, so
//! an 8 MiB answer could take hundreds of MiB. Every answer is therefore read into typed structs:
//! a field cwsetup does not know is skipped as it is read ([`IgnoredAny`]), and where a field may
//! hold anything, [`Scalar`] keeps a string, number or boolean and only the *kind* of an array or
//! object (whose contents are skipped, never stored).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The kind of a JSON value, for messages ("IsCloud is an object, expected true/false").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl JsonKind {
    /// "null", "a boolean", … as used in messages.
    pub fn described(self) -> &'static str {
        match self {
            JsonKind::Null => "null",
            JsonKind::Bool => "a boolean",
            JsonKind::Number => "a number",
            JsonKind::String => "a string",
            JsonKind::Array => "an array",
            JsonKind::Object => "an object",
        }
    }
}

/// One JSON value, kept only when it is a scalar: an array or object is skipped and only its
/// kind remembered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar {
    Null,
    Bool(bool),
    /// The number as JSON wrote it (shortest form), e.g. `7` or `1.5`.
    Number(String),
    Text(String),
    /// An array or an object: its contents were skipped.
    Nested(JsonKind),
}

impl Scalar {
    pub fn kind(&self) -> JsonKind {
        match self {
            Scalar::Null => JsonKind::Null,
            Scalar::Bool(_) => JsonKind::Bool,
            Scalar::Number(_) => JsonKind::Number,
            Scalar::Text(_) => JsonKind::String,
            Scalar::Nested(kind) => *kind,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Number(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar, A::Error> {
        skip_seq(seq)?;
        Ok(Scalar::Nested(JsonKind::Array))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
        skip_map(map)?;
        Ok(Scalar::Nested(JsonKind::Object))
    }
}

/// Reads every element of a sequence without keeping any.
pub fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Reads every entry of a map without keeping any.
pub fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// The kind of a whole JSON document, read without keeping anything of it.
impl<'de> Deserialize<'de> for JsonKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<JsonKind, D::Error> {
        deserializer
            .deserialize_any(ScalarVisitor)
            .map(|scalar| scalar.kind())
    }
}

/// A list whose first `MAX` objects are read as `T`; anything else in it (other values, and
/// every item after the first `MAX`) is skipped, and a value that is not a list at all reads as
/// an empty one. For lenient parts of error bodies, where a million small objects must not become
/// a million structs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectsOnly<T, const MAX: usize>(pub Vec<T>);

impl<T, const MAX: usize> Default for ObjectsOnly<T, MAX> {
    fn default() -> Self {
        ObjectsOnly(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>, const MAX: usize> Deserialize<'de> for ObjectsOnly<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor<T, const MAX: usize>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const MAX: usize> Visitor<'de> for ListVisitor<T, MAX> {
            type Value = ObjectsOnly<T, MAX>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while items.len() < MAX {
                    match seq.next_element::<MaybeObject<T>>()? {
                        Some(MaybeObject(Some(item))) => items.push(item),
                        Some(MaybeObject(None)) => {}
                        None => return Ok(ObjectsOnly(items)),
                    }
                }
                skip_seq(seq)?;
                Ok(ObjectsOnly(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                skip_map(map)?;
                Ok(ObjectsOnly(Vec::new()))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(ObjectsOnly(Vec::new()))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ObjectsOnly(Vec::new()))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ObjectsOnly(Vec::new()))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ObjectsOnly(Vec::new()))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ObjectsOnly(Vec::new()))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ObjectsOnly(Vec::new()))
            }
        }
        deserializer.deserialize_any(ListVisitor(std::marker::PhantomData))
    }
}

/// `Some(T)` for an object read as `T`, `None` (contents skipped) for anything else.
pub struct MaybeObject<T>(pub Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for MaybeObject<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = MaybeObject<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|t| MaybeObject(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                skip_seq(seq)?;
                Ok(MaybeObject(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(MaybeObject(None))
            }
        }
        deserializer.deserialize_any(ObjectVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_kept_and_nested_values_only_named() {
        let read = |s: &str| serde_json::from_str::<Scalar>(s).expect("JSON");
        assert_eq!(read("null"), Scalar::Null);
        assert_eq!(read("true"), Scalar::Bool(true));
        assert_eq!(read("7"), Scalar::Number("7".into()));
        assert_eq!(read("\"All\""), Scalar::Text("All".into()));
        assert_eq!(read("[1,[2],{}]"), Scalar::Nested(JsonKind::Array));
        assert_eq!(
            read(r#"{"a":{"b":[1,2]},"c":3}"#),
            Scalar::Nested(JsonKind::Object)
        );
        assert_eq!(
            serde_json::from_str::<JsonKind>("[{}]").expect("JSON"),
            JsonKind::Array
        );
        assert!(serde_json::from_str::<Scalar>("[1,").is_err());
    }

    #[test]
    fn objects_only_skips_what_is_not_an_object() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Item {
            code: Option<String>,
        }
        let list: ObjectsOnly<Item, 2> =
            serde_json::from_str(r#"[1,"a",{"code":"x","other":[1]},[],null,{},{"code":"y"}]"#)
                .expect("JSON");
        assert_eq!(
            list.0,
            vec![
                Item {
                    code: Some("x".into())
                },
                Item { code: None }
            ],
            "the first two objects, the rest skipped"
        );
        let none: ObjectsOnly<Item, 2> = serde_json::from_str("5").expect("JSON");
        assert!(none.0.is_empty());
    }
}
