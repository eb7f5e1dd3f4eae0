//! The OpenAPI 3.1 document, made from the same route table the router and the access tests use.

use axum::Json;
use serde_json::{Map, Value, json};

use crate::access::{Permission, allows};
use crate::api::ROUTES;
use truce_model::Role;

fn who(p: Option<Permission>) -> String {
    let Some(p) = p else { return "anyone".into() };
    let mut roles: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| allows(Some(**r), p))
        .map(|r| r.as_str())
        .collect();
    if allows(None, p) {
        roles.push("the public (published incidents, redacted)");
    }
    roles.join(", ")
}

/// Builds the document.
pub fn spec() -> Value {
    let mut paths = Map::new();
    for r in ROUTES {
        let entry = paths.entry(r.path.to_string()).or_insert_with(|| json!({}));
        let params: Vec<Value> = r
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "integer"}}))
            .collect();
        let mut op = json!({
            "summary": r.summary,
            "description": format!("Allowed: {}.", who(r.permission)),
            "parameters": params,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {}}},
                "201": {"description": "Created"},
                "400": {"$ref": "#/components/responses/Error"},
                "401": {"$ref": "#/components/responses/Error"},
                "403": {"$ref": "#/components/responses/Error"},
                "404": {"$ref": "#/components/responses/Error"}
            }
        });
        if r.method != "GET" && r.method != "DELETE" {
            op["requestBody"] =
                json!({"content": {"application/json": {"schema": {"type": "object"}}}});
        }
        entry[r.method.to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "truce", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Ceasefire monitoring: incidents, evidence, review and adjudication."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "An API token (`truce token add`, or POST /api/v1/tokens)."},
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE,
                            "description": "The browser session; changes also need the X-CSRF-Token header."}
            },
            "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"error": {"type": "object", "properties": {
                    "code": {"type": "string", "enum": ["bad_request", "unauthenticated", "forbidden", "csrf", "not_found", "conflict", "too_large", "throttled", "busy", "internal"]},
                    "message": {"type": "string"}}}}}}}}}
        },
        "security": [{"token": []}, {"session": []}, {}]
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<Value> {
    Json(spec())
}
