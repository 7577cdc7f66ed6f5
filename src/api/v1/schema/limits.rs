//! The limits the document states are the model's: each written as a literal above (the
//! `schema` attributes take literals), each tied here to the constant the server enforces.

use crate::domain::markdown::EXCERPT_CHARS;
use crate::model::{
    Bio, CommentBody, Email, Paging, Password, PostBody, PostSummary, PostTitle, Tags, Username,
};
use serde_json::Value;

fn document() -> Value {
    serde_json::to_value(crate::api::v1::openapi()).unwrap()
}

fn property<'a>(doc: &'a Value, schema: &str, field: &str) -> &'a Value {
    let found = &doc["components"]["schemas"][schema]["properties"][field];
    assert!(!found.is_null(), "{schema}.{field} is in the document");
    // An optional field is `oneOf` its type and null, or carries its keywords itself.
    found
}

fn number(value: &Value, keyword: &str, at: &str) -> usize {
    value[keyword]
        .as_u64()
        .unwrap_or_else(|| panic!("{at} has {keyword}: {value}")) as usize
}

#[test]
fn every_stated_limit_is_the_enforced_one() {
    let doc = document();
    let max = |schema: &str, field: &str| {
        number(
            property(&doc, schema, field),
            "maxLength",
            &format!("{schema}.{field}"),
        )
    };
    let min = |schema: &str, field: &str| {
        number(
            property(&doc, schema, field),
            "minLength",
            &format!("{schema}.{field}"),
        )
    };
    for schema in ["RegisterRequest", "NewUserRequest", "UserUpdateRequest"] {
        assert_eq!(max(schema, "email"), Email::MAX, "{schema}.email");
        assert_eq!(min(schema, "password"), Password::MIN, "{schema}.password");
        assert_eq!(max(schema, "password"), Password::MAX, "{schema}.password");
        let pattern = property(&doc, schema, "username")["pattern"]
            .as_str()
            .unwrap_or_default();
        let lengths = format!("{{{},{}}}", Username::MIN, Username::MAX);
        assert!(pattern.contains(&lengths), "{schema}.username: {pattern}");
    }
    assert_eq!(max("UserUpdateRequest", "bio"), Bio::MAX);
    assert_eq!(max("User", "bio"), Bio::MAX);
    assert_eq!(max("PostRequest", "title"), PostTitle::MAX);
    assert_eq!(max("PostRequest", "summary"), PostSummary::MAX);
    assert_eq!(max("PostRequest", "content"), PostBody::MAX);
    assert_eq!(max("Post", "summary"), PostSummary::MAX);
    assert_eq!(max("Post", "excerpt"), EXCERPT_CHARS);
    assert_eq!(max("CommentRequest", "content"), CommentBody::MAX);
    for (schema, field) in [("PostRequest", "tags"), ("Post", "tags")] {
        let tags = property(&doc, schema, field);
        assert_eq!(number(tags, "maxItems", schema), Tags::MAX, "{schema}.tags");
    }
    let tag = &doc["components"]["schemas"]["TagName"];
    assert_eq!(number(tag, "maxLength", "TagName"), Tags::MAX_LEN);
    let pattern = tag["pattern"].as_str().unwrap_or_default();
    assert!(
        pattern.contains(&format!("{{1,{}}}", Tags::MAX_LEN)),
        "{pattern}"
    );
    for schema in [
        "UserListResponse",
        "PostListResponse",
        "CommentListResponse",
        "TagListResponse",
    ] {
        let per_page = &doc["components"]["schemas"][schema]["properties"]["per_page"];
        assert_eq!(
            number(per_page, "maximum", schema),
            Paging::MAX_PER_PAGE as usize,
            "{schema}.per_page"
        );
    }
}
