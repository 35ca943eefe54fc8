//! Lenient typed reading of JSON answers, field by field, straight from the answer's bytes.
//!
//! A platform's answer holds what its authors' clients wrote, and one field of an unexpected
//! type (`"langs": "en"`, `"text": null`, `"author": "bob"`) must cost that field, not the whole
//! post. Reading the answer into a generic [`serde_json::Value`] first and each field from there
//! does that, but a generic value takes many times the answer's size in memory: each small
//! object is a B-tree node of several hundred bytes, so an answer of 74,000 link facets (9.6 MB)
//! took 280 MiB. These functions read each field in place instead, with
//! `#[serde(deserialize_with = …)]`:
//!
//! - [`scalar`]: a string, number or boolean field; any other type (or `null`) is `None`, and
//!   what it holds is skipped without being kept;
//! - [`object`]: a field of a struct type whose own fields are all read with these functions
//!   (so reading it cannot fail on a type); anything but an object is `None`;
//! - [`objects`] and [`scalars`]: lists of those; an item of another type is left out, and a
//!   field that is no list is empty;
//! - [`object_items`]: a list whose unreadable items are kept as `None` (so they can be
//!   counted), `None` itself when the field is no list.
//!
//! What still fails a read: JSON that is not well formed, and a key written twice in one
//! object (serde's derived readers refuse it, where a generic value keeps the last). A reader
//! that must accept the latter reads the answer through a generic value when the typed read
//! fails ([`object_from_slice`]); these functions read a value the same way.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{
    BoolDeserializer, F64Deserializer, I64Deserializer, MapAccessDeserializer, StrDeserializer,
    U64Deserializer,
};
use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Why a JSON answer gave no object to read.
#[derive(Debug, thiserror::Error)]
pub enum NotAnObject {
    #[error("{0}")]
    NotJson(serde_json::Error),
    #[error("JSON that is not an object")]
    OtherJson,
}

/// `T` read from a JSON answer that is an object: straight from its bytes, or, when that read
/// fails (a key written twice: see the module's note), from a generic JSON value of it, whose
/// objects keep a repeated key's last value.
pub fn object_from_slice<T: DeserializeOwned>(body: &[u8]) -> Result<T, NotAnObject> {
    if body.trim_ascii_start().first() == Some(&b'{')
        && let Ok(read) = serde_json::from_slice::<T>(body)
    {
        return Ok(read);
    }
    match serde_json::from_slice(body).map_err(NotAnObject::NotJson)? {
        value @ serde_json::Value::Object(_) => {
            serde_json::from_value(value).map_err(NotAnObject::NotJson)
        }
        _ => Err(NotAnObject::OtherJson),
    }
}

/// A string, number or boolean field: `None` for `null` and for any value `T` does not read.
pub fn scalar<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(Scalar(PhantomData))
}

/// A boolean or other scalar field with a default: the default where [`scalar`] is `None`.
pub fn scalar_or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    scalar(deserializer).map(Option::unwrap_or_default)
}

/// A field of a struct type whose fields are all read with this module's functions: `None`
/// unless it is an object.
pub fn object<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(Object(PhantomData))
}

/// A struct field read as [`object`], its default where that is `None`.
pub fn object_or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    object(deserializer).map(Option::unwrap_or_default)
}

/// A list of objects (as [`object`]): items of other types are left out; a field that is no
/// list is empty.
pub fn objects<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let items = deserializer.deserialize_any(List(PhantomData::<Object<T>>))?;
    Ok(items.unwrap_or_default().into_iter().flatten().collect())
}

/// A list of scalars (as [`scalar`]): items of other types are left out; a field that is no
/// list is empty.
pub fn scalars<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let items = deserializer.deserialize_any(List(PhantomData::<Scalar<T>>))?;
    Ok(items.unwrap_or_default().into_iter().flatten().collect())
}

/// A list of objects with its unreadable items kept as `None`; `None` when the field is no
/// list.
pub fn object_items<'de, D, T>(deserializer: D) -> Result<Option<Vec<Option<T>>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(List(PhantomData::<Object<T>>))
}

/// Skip the rest of a list without keeping it.
fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Skip the rest of an object without keeping it.
fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// The methods of a visitor that reads every scalar (and `null`) as `None`.
macro_rules! scalars_are_none {
    () => {
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
}

/// Reads a scalar as `Some(T)` when `T` takes it; skips lists and objects.
struct Scalar<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Scalar<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(T::deserialize(BoolDeserializer::<E>::new(v)).ok())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(T::deserialize(I64Deserializer::<E>::new(v)).ok())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(T::deserialize(U64Deserializer::<E>::new(v)).ok())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(T::deserialize(F64Deserializer::<E>::new(v)).ok())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::deserialize(StrDeserializer::<E>::new(v)).ok())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map).map(|()| None)
    }
}

/// Reads an object as `Some(T)`; `None` for anything else, which is skipped.
struct Object<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Object<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalars_are_none!();

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(seq).map(|()| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
}

/// A visitor that reads one item of a list: [`Scalar`] or [`Object`].
trait Item<'de>: Visitor<'de> + Sized {
    fn new() -> Self;
}

impl<'de, T: Deserialize<'de>> Item<'de> for Scalar<T> {
    fn new() -> Self {
        Scalar(PhantomData)
    }
}

impl<'de, T: Deserialize<'de>> Item<'de> for Object<T> {
    fn new() -> Self {
        Object(PhantomData)
    }
}

/// One list item, read by the item visitor `V`.
struct ItemSeed<V>(PhantomData<V>);

impl<'de, V: Item<'de>> serde::de::DeserializeSeed<'de> for ItemSeed<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_any(V::new())
    }
}

/// Reads a list as its items (each by `V`); `None` for anything else, which is skipped.
struct List<V>(PhantomData<V>);

impl<'de, V: Item<'de>> Visitor<'de> for List<V> {
    type Value = Option<Vec<V::Value>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    scalars_are_none!();

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // No capacity from the size hint: the answer, not this reader, says how long it is.
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(ItemSeed::<V>(PhantomData))? {
            items.push(item);
        }
        Ok(Some(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        skip_map(map).map(|()| None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Inner {
        #[serde(deserialize_with = "scalar")]
        n: Option<u64>,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Outer {
        #[serde(deserialize_with = "scalar")]
        text: Option<String>,
        #[serde(deserialize_with = "scalar_or_default")]
        flag: bool,
        #[serde(deserialize_with = "object")]
        inner: Option<Inner>,
        #[serde(deserialize_with = "objects")]
        list: Vec<Inner>,
        #[serde(deserialize_with = "scalars")]
        words: Vec<String>,
        #[serde(deserialize_with = "object_items")]
        items: Option<Vec<Option<Inner>>>,
    }

    fn read(json: &str) -> Outer {
        object_from_slice(json.as_bytes()).expect("a JSON object")
    }

    #[test]
    fn fields_of_the_expected_types_are_read() {
        let got = read(
            r#"{"text":"hi","flag":true,"inner":{"n":3},"list":[{"n":1},{"n":2}],
                "words":["a","b"],"items":[{"n":5}],"other":{"deep":[1,2,{"x":null}]}}"#,
        );
        assert_eq!(got.text.as_deref(), Some("hi"));
        assert!(got.flag);
        assert_eq!(got.inner, Some(Inner { n: Some(3) }));
        assert_eq!(got.list, [Inner { n: Some(1) }, Inner { n: Some(2) }]);
        assert_eq!(got.words, ["a", "b"]);
        assert_eq!(got.items, Some(vec![Some(Inner { n: Some(5) })]));
    }

    /// A field of another type costs that field (or list item) alone, whatever it holds.
    #[test]
    fn fields_of_other_types_cost_only_themselves() {
        let got = read(
            r#"{"text":{"a":[1,{"b":2}]},"flag":"yes","inner":[{"n":1}],"list":[3,{"n":"x"},null,{"n":4}],
                "words":["a",{"b":1},["c"],"d"],"items":[7,{"n":8}],"after":"ok"}"#,
        );
        assert_eq!(got.text, None);
        assert!(!got.flag);
        assert_eq!(got.inner, None);
        assert_eq!(got.list, [Inner { n: None }, Inner { n: Some(4) }]);
        assert_eq!(got.words, ["a", "d"]);
        assert_eq!(got.items, Some(vec![None, Some(Inner { n: Some(8) })]));
        let got = read(r#"{"text":null,"inner":null,"list":{"n":1},"words":"a","items":"x"}"#);
        assert_eq!(got, Outer::default());
        // Numbers a field does not take: a float, a negative, a number in a string.
        for n in ["1.5", "-1", "\"7\"", "true", "18446744073709551616"] {
            let got = read(&format!(r#"{{"inner":{{"n":{n}}}}}"#));
            assert_eq!(got.inner, Some(Inner { n: None }), "{n}");
        }
    }

    /// A key written twice fails the typed read; the answer is then read as a generic value
    /// reads it, the last one standing.
    #[test]
    fn a_key_written_twice_keeps_its_last_value() {
        assert!(serde_json::from_str::<Outer>(r#"{"text":"a","text":"b"}"#).is_err());
        let got = read(r#"{"text":"a","inner":{"n":1,"n":2},"text":"b"}"#);
        assert_eq!(got.text.as_deref(), Some("b"));
        assert_eq!(got.inner, Some(Inner { n: Some(2) }));
    }

    #[test]
    fn what_is_no_json_object_is_an_error() {
        for body in [&b"<html>"[..], br#"{"text":"a""#, b""] {
            assert!(matches!(
                object_from_slice::<Outer>(body),
                Err(NotAnObject::NotJson(_))
            ));
        }
        // An array would be read into a struct field by field; it is no object.
        for body in [&br#"["a",true]"#[..], b" 3", b"null"] {
            assert!(matches!(
                object_from_slice::<Outer>(body),
                Err(NotAnObject::OtherJson)
            ));
        }
    }
}
