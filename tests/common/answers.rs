//! Reading answers in tests: `answer!(request, STATUS)` awaits a request, checks its exact status
//! (and that a 4xx is problem+json) and answers the JSON body, naming the line.

use reqwest::{Response, StatusCode};
use serde_json::Value;

use super::fields;

/// `answer!(request, STATUS)`: awaits the request, asserts the status and answers the JSON body.
#[allow(unused_macros)]
macro_rules! answer {
    ($request:expr, $status:ident) => {
        $crate::common::answers::read($request.await, reqwest::StatusCode::$status, &format!("line {}", line!())).await
    };
}
#[allow(unused_imports)]
pub(crate) use answer;

/// Checks a response's status and, for a 4xx, that it is problem+json.
pub async fn read(response: Response, status: StatusCode, at: &str) -> Value {
    let actual = response.status();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "{at}: {text}");
    if text.is_empty() {
        return Value::Null;
    }
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{at}: {e}: {text}"));
    if actual.is_client_error() {
        assert_eq!(content_type, "application/problem+json", "{at}: {text}");
        assert_eq!(body["status"], actual.as_u16(), "{at}: {text}");
        assert!(body["detail"].is_string(), "{at}: {text}");
    }
    body
}

/// Asserts that a problem names `field` in its `errors`.
pub fn named(problem: &Value, field: &str) {
    assert!(fields(problem).iter().any(|f| f == field), "{field} not named in {problem}");
}

/// A record's id.
pub fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_else(|| panic!("no id in {record}")).to_string()
}
