//! XML ↔ tree: the mechanical mapping between the XML wire form and the JSON wire shape.
//!
//! Parsing needs no schema: attributes become keys, a repeated child becomes an array, a leaf
//! becomes its text. [`crate::schema::normalize`] then fixes list-ness and scalar kinds.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::{Map, Value};

/// Attributes written as XML attributes rather than child elements.
const XML_ATTRS: [&str; 3] = ["href", "id", "rel"];

/// Parse an XML document into (root element name, tree).
pub fn parse(text: &str) -> Result<(String, Value), String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("malformed XML: {e}"))?;
    let root = doc.root_element();
    Ok((root.tag_name().name().to_string(), element(root)))
}

fn element(node: roxmltree::Node) -> Value {
    let children: Vec<roxmltree::Node> = node.children().filter(|c| c.is_element()).collect();
    if children.is_empty() && node.attributes().len() == 0 {
        return Value::String(
            node.text()
                .map(|t| t.trim().to_string())
                .unwrap_or_default(),
        );
    }
    let mut m = Map::new();
    for a in node.attributes() {
        m.insert(a.name().to_string(), Value::String(a.value().to_string()));
    }
    for c in children {
        let name = c.tag_name().name().to_string();
        let v = element(c);
        match m.get_mut(&name) {
            None => {
                m.insert(name, v);
            }
            Some(Value::Array(a)) => a.push(v),
            Some(prev) => {
                let first = prev.take();
                *prev = Value::Array(vec![first, v]);
            }
        }
    }
    Value::Object(m)
}

/// Whether a value writes no element at all (null, empty list).
fn is_void(v: &Value) -> bool {
    v.is_null() || v.as_array().is_some_and(|a| a.is_empty())
}

/// Write `value` as a document with root element `tag`.
pub fn write(tag: &str, value: &Value) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let _ = w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )));
    write_elem(&mut w, tag, value);
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

/// Write a list reply: root `tag` holding one `item` element per entity.
pub fn write_list(tag: &str, item: &str, values: &[Value]) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let _ = w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )));
    let _ = w.write_event(Event::Start(BytesStart::new(tag)));
    for v in values {
        write_elem(&mut w, item, v);
    }
    let _ = w.write_event(Event::End(BytesEnd::new(tag)));
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

fn write_elem(w: &mut Writer<Vec<u8>>, tag: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for i in items {
                write_elem(w, tag, i);
            }
        }
        Value::Object(m) => {
            let mut start = BytesStart::new(tag);
            for k in XML_ATTRS {
                match m.get(k) {
                    Some(Value::String(s)) => start.push_attribute((k, s.as_str())),
                    // `<vlan id="20"/>`: the model's integer id is an attribute too.
                    Some(Value::Number(n)) => start.push_attribute((k, n.to_string().as_str())),
                    _ => {}
                }
            }
            let children: Vec<(&String, &Value)> = m
                .iter()
                .filter(|(k, v)| {
                    !is_void(v)
                        && (!XML_ATTRS.contains(&k.as_str()) || !(v.is_string() || v.is_number()))
                })
                .collect();
            if children.is_empty() {
                let _ = w.write_event(Event::Empty(start));
                return;
            }
            let _ = w.write_event(Event::Start(start));
            for (k, v) in children {
                write_elem(w, k, v);
            }
            let _ = w.write_event(Event::End(BytesEnd::new(tag)));
        }
        scalar => {
            let text = match scalar {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let _ = w.write_event(Event::Start(BytesStart::new(tag)));
            if !text.is_empty() {
                let _ = w.write_event(Event::Text(BytesText::new(&text)));
            }
            let _ = w.write_event(Event::End(BytesEnd::new(tag)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_keeps_attributes_lists_and_escapes() {
        let v = json!({"id": "1", "href": "/x/1", "name": "a<b & \"c\"", "usages": {"usage": ["vm", "display"]},
                       "link": [{"href": "/x/1/n", "rel": "nics"}]});
        let x = write("network", &v);
        assert!(x.contains(r#"<network href="/x/1" id="1">"#), "{x}");
        assert!(x.contains("a&lt;b &amp;"), "{x}");
        let (root, back) = parse(&x).unwrap();
        assert_eq!(root, "network");
        assert_eq!(back["name"], json!("a<b & \"c\""));
        assert_eq!(back["usages"]["usage"], json!(["vm", "display"]));
        assert_eq!(back["link"]["rel"], json!("nics"));
    }

    #[test]
    fn integer_ids_are_attributes() {
        let x = write("network", &json!({"vlan": {"id": 20}}));
        assert!(x.contains(r#"<vlan id="20"/>"#), "{x}");
    }

    #[test]
    fn empty_list_is_an_empty_element() {
        let x = write("network", &json!({"usages": {"usage": []}}));
        assert!(x.contains("<usages/>"), "{x}");
    }

    #[test]
    fn empty_and_attribute_only_elements() {
        let (_, v) = parse("<action><usages/><storage_domain id=\"x\"/></action>").unwrap();
        assert_eq!(v, json!({"usages": "", "storage_domain": {"id": "x"}}));
        assert!(parse("<a><b></a>").is_err());
    }
}
