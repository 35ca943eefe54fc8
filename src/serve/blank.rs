//! Query parameters sent empty (`status=`, a form's blank field) are read as not sent, on every
//! route that takes filters: a blank field narrows nothing.

use serde::Deserialize;

/// A parameter's value when it was sent with something in it (trimmed).
pub(super) fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// For `#[serde(default, deserialize_with = "blank::as_unsent")]`: a parameter sent empty
/// deserialises as `None`, as one not sent.
pub(super) fn as_unsent<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    let value = Option::<String>::deserialize(d)?;
    Ok(given(&value).is_some().then_some(value).flatten())
}
