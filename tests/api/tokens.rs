//! Scenario 21: tokens, and what a token does not let its bearer see.

use awc::http::Method;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use claims_persistence::{Database, PoolOptions};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::support::*;
use crate::{on_both_backends, on_both_backends_with};

async fn status_with(app: &TestApp, token: &str) -> u16 {
    let request = app.client.get(format!("{}/v1/claims", app.base_url)).bearer_auth(token);
    request.send().await.expect("an answer").status().as_u16()
}

/// Claims a token of CR00001's client would carry, issued now by the hub's real clock.
fn claims(app: &TestApp) -> Value {
    let issued = claims_domain::Clock::now(app.real_clock.as_ref()).timestamp();
    json!({
        "iss": app.settings.token_issuer,
        "aud": app.settings.token_audience,
        "sub": app.credentials("CR00001").client_id,
        "org": "CR00001",
        "org_kind": "claimant_representative",
        "roles": ["claims"],
        "iat": issued,
        "nbf": issued,
        "exp": issued + 3600,
        "jti": "test",
    })
}

/// The hub's own signing key, read from its database, for forging tokens it should refuse for
/// reasons other than the signature.
async fn hub_key(app: &TestApp) -> (String, EncodingKey) {
    let db = Database::connect(app.settings.database_url.as_deref().expect("url"), PoolOptions::default())
        .expect("database");
    let key = db.signing_keys().await.expect("keys").into_iter().next().expect("a key");
    (key.kid, EncodingKey::from_ed_der(&key.private_key))
}

fn sign(kid: &str, key: &EncodingKey, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, key).expect("signed")
}

on_both_backends! {
    /// Scenario 21: a token lasts one hour of the hub's real time.
    async fn a_token_lasts_one_hour_by_the_hubs_real_clock(app) {
        let token = app.token("CR00001").await;
        assert_eq!(status_with(&app, &token).await, 200);
        let payload = token.split('.').nth(1).and_then(|p| URL_SAFE_NO_PAD.decode(p).ok()).expect("payload");
        let payload: Value = serde_json::from_slice(&payload).expect("json");
        let (issued, expires) = (payload["iat"].as_i64().expect("iat"), payload["exp"].as_i64().expect("exp"));
        assert_eq!(expires - issued, 3600);
        // One second before the expiry instant, then one second after it.
        let now = claims_domain::Clock::now(app.real_clock.as_ref()).timestamp();
        app.real_clock.advance(chrono::Duration::seconds(expires - 1 - now));
        assert_eq!(status_with(&app, &token).await, 200);
        app.real_clock.advance(chrono::Duration::seconds(2));
        assert_eq!(status_with(&app, &token).await, 401);
    }
}

on_both_backends! {
    /// Moving the sandbox clock (business time) far past a token's expiry leaves every token of
    /// every organisation valid, the mover's included.
    async fn moving_the_sandbox_clock_expires_no_token(app) {
        let mover = app.token("CR00001").await;
        let other = app.token("CM00001").await;
        let request = app
            .client
            .put(format!("{}/v1/sandbox/clock", app.base_url))
            .bearer_auth(&mover)
            .send_json(&json!({ "now": "2027-03-01T09:00:00Z" }));
        assert_eq!(request.await.expect("an answer").status().as_u16(), 200);
        assert_eq!(status_with(&app, &mover).await, 200);
        assert_eq!(status_with(&app, &other).await, 200);
        let clock = app.get("CM00001", "/v1/sandbox/clock").await.expect(200).json();
        assert!(clock["now"].as_str().is_some_and(|now| now.starts_with("2027-03-01T09:00")));
    }
}

on_both_backends! {
    /// A token from an issuer whose clock runs a little fast is accepted up to 60 seconds ahead.
    async fn tokens_from_slightly_fast_clocks_are_accepted(app) {
        let (kid, key) = hub_key(&app).await;
        let good = claims(&app);
        let now = good["iat"].as_i64().unwrap_or(0);
        for (member, ahead, expected) in
            [("nbf", 50, 200), ("iat", 50, 200), ("nbf", 75, 401), ("iat", 75, 401)]
        {
            let token = sign(&kid, &key, &with(&good, member, json!(now + ahead)));
            assert_eq!(status_with(&app, &token).await, expected, "{member} {ahead} s ahead");
        }
    }
}

on_both_backends! {
    async fn forged_and_malformed_tokens_are_refused(app) {
        let genuine = app.token("CR00001").await;
        assert_eq!(status_with(&app, &genuine).await, 200);
        let (kid, key) = hub_key(&app).await;
        let good = claims(&app);
        // The hub's key and these claims make a token it accepts: the refusals below are each
        // down to the one thing changed.
        assert_eq!(status_with(&app, &sign(&kid, &key, &good)).await, 200);

        let other_key = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
        let other_der = ed25519_dalek::pkcs8::EncodePrivateKey::to_pkcs8_der(&other_key).expect("der");
        let signed_by_other = sign(&kid, &EncodingKey::from_ed_der(other_der.as_bytes()), &good);
        let unknown_kid = sign("no-such-key", &key, &good);
        let wrong_audience = sign(&kid, &key, &with(&good, "aud", json!("someone-else")));
        let wrong_issuer = sign(&kid, &key, &with(&good, "iss", json!("someone-else")));
        let later = good["nbf"].as_i64().unwrap_or(0) + 600;
        let not_yet_valid = sign(&kid, &key, &with(&good, "nbf", json!(later)));

        let unsigned = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(good.to_string())
        );
        let jwks = app.call(Method::GET, "/.well-known/jwks.json", None, None, &[]).await.expect(200).json();
        let public_x = jwks["keys"][0]["x"].as_str().expect("x").to_owned();
        let mut hs_header = Header::new(Algorithm::HS256);
        hs_header.kid = Some(kid.clone());
        let hs256_with_public_key =
            jsonwebtoken::encode(&hs_header, &good, &EncodingKey::from_secret(public_x.as_bytes())).expect("hs256");
        let mut parts: Vec<String> = genuine.split('.').map(str::to_owned).collect();
        let mut payload: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).expect("payload")).expect("json");
        payload["org"] = json!("CR00002");
        parts[1] = URL_SAFE_NO_PAD.encode(payload.to_string());
        let tampered = parts.join(".");

        for (what, token) in [
            ("signed by another key", signed_by_other),
            ("unknown kid", unknown_kid),
            ("wrong audience", wrong_audience),
            ("wrong issuer", wrong_issuer),
            ("not yet valid", not_yet_valid),
            ("alg none", unsigned),
            ("HS256 with the public key", hs256_with_public_key),
            ("tampered payload", tampered),
            ("not a JWT", "garbage".to_owned()),
        ] {
            assert_eq!(status_with(&app, &token).await, 401, "{what}");
        }
        let reply = app.call(Method::GET, "/v1/claims", None, None, &[]).await.expect(401);
        assert_eq!(reply.header("content-type").as_deref(), Some("application/problem+json"));
        assert!(reply.header("www-authenticate").is_some_and(|v| v.starts_with("Bearer")));
    }
}

/// `claims` with one member changed.
fn with(claims: &Value, member: &str, value: Value) -> Value {
    let mut changed = claims.clone();
    changed[member] = value;
    changed
}

on_both_backends! {
    async fn a_claim_between_others_is_invisible(app) {
        let claim = app.submit_ok("CR00002", &rta()).await;
        let path = format!("/v1/claims/{}", claim["id"].as_str().expect("id"));
        app.get("CM00001", &path).await.expect(200);
        app.get("CR00001", &path).await.expect(404);
        let list = app.get("CR00001", "/v1/claims").await.expect(200).json();
        assert_eq!(list["items"], json!([]));
        let filtered = app.get("CR00001", "/v1/claims?reference=RTA/2024/0001").await.expect(200).json();
        assert_eq!(filtered["items"], json!([]));
        let events = app.get("CR00001", "/v1/events").await.expect(200).json();
        assert_eq!(events["items"], json!([]));
        let told = app.get("CR00002", "/v1/events").await.expect(200).json();
        assert_eq!(told["items"][0]["claim_id"], claim["id"]);
    }
}

on_both_backends! {
    async fn token_requests_follow_rfc_6749(app) {
        let client = app.credentials("CM00001").clone();
        let ok = app
            .token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", &client.client_id),
                ("client_secret", &client.client_secret),
            ])
            .await
            .expect(200)
            .json();
        assert_eq!(ok["token_type"], "Bearer");
        assert_eq!(ok["expires_in"], 3600);

        let basic = app
            .client
            .post(format!("{}/oauth/token", app.base_url))
            .basic_auth(&client.client_id, &client.client_secret)
            .send_form(&[("grant_type", "client_credentials")])
            .await
            .expect("an answer");
        assert_eq!(basic.status().as_u16(), 200);

        let wrong_grant = app.token_request(&[("grant_type", "password")]).await.expect(400);
        assert_eq!(wrong_grant.json()["error"], "unsupported_grant_type");
        let unknown = app
            .token_request(&[("grant_type", "client_credentials"), ("client_id", "nobody"), ("client_secret", "x")])
            .await
            .expect(401);
        assert_eq!(unknown.json()["error"], "invalid_client");
    }
}

/// Token guard settings small enough to reach in a test, with the test's own connections
/// (127.0.0.1) taken as a proxy, so `X-Forwarded-For` stands for different callers.
fn guarded(settings: &mut claims_exchange::config::Settings) {
    settings.trusted_proxies = vec!["127.0.0.1".parse().expect("address")];
    settings.token_failures_per_source = 3;
    settings.token_failures_per_client = 2;
}

/// A token request for `client_id` from `address`; its status and `Retry-After`.
async fn token_from(app: &TestApp, address: &str, client_id: &str, secret: &str) -> (u16, Option<String>) {
    let form = [("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret)];
    let response = app
        .client
        .post(format!("{}/oauth/token", app.base_url))
        .insert_header(("x-forwarded-for", address))
        .send_form(&form)
        .await
        .expect("an answer");
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (response.status().as_u16(), retry_after)
}

const ATTACKER: &str = "203.0.113.9";
const RIGHTFUL: &str = "198.51.100.7";

on_both_backends_with! {
    guarded;
    /// An address that keeps guessing is refused for the rest of the window, whatever it sends;
    /// the client id it guessed at is slowed, never locked: its rightful owner, elsewhere, gets
    /// tokens throughout. The window runs on the real clock, not the sandbox's.
    async fn a_guesser_is_refused_and_cannot_lock_the_rightful_client_out(app) {
        let client = app.credentials("CR00002").clone();
        let id = client.client_id.as_str();
        for _ in 0..3 {
            assert_eq!(token_from(&app, ATTACKER, id, "wrong").await.0, 401);
        }
        let (status, retry_after) = token_from(&app, ATTACKER, id, "wrong").await;
        assert_eq!(status, 429);
        let seconds: i64 = retry_after.expect("Retry-After").parse().expect("seconds");
        assert!((1..=900).contains(&seconds), "{seconds}");
        assert_eq!(token_from(&app, ATTACKER, id, &client.client_secret).await.0, 429, "the address, not the secret");
        assert_eq!(token_from(&app, ATTACKER, "cr00001-sandbox", "wrong").await.0, 429, "any client id");
        for _ in 0..2 {
            assert_eq!(token_from(&app, RIGHTFUL, id, &client.client_secret).await.0, 200);
        }
        app.set_clock("2025-08-22T10:00:00Z").await.expect(200);
        assert_eq!(token_from(&app, ATTACKER, id, "wrong").await.0, 429, "the sandbox clock ends no window");
        app.advance_real_clock(chrono::Duration::minutes(16));
        assert_eq!(token_from(&app, ATTACKER, id, "wrong").await.0, 401, "a new window");
    }
}

on_both_backends_with! {
    guarded;
    /// Guesses sent all at once are counted as they arrive: of 40 parallel wrong secrets from one
    /// address only the first few are checked at all, the rest are refused at once, and the right
    /// secret from another address still works.
    async fn parallel_guesses_are_counted_as_they_arrive(app) {
        let client = app.credentials("CR00002").clone();
        let id = client.client_id.as_str();
        let guesses = (0..40).map(|_| token_from(&app, ATTACKER, id, "wrong"));
        let answers = futures_util::future::join_all(guesses).await;
        let checked = answers.iter().filter(|(status, _)| *status == 401).count();
        let refused = answers.iter().filter(|(status, _)| *status == 429).count();
        assert_eq!(checked + refused, 40, "{answers:?}");
        assert!((1..=3).contains(&checked), "at most the source's 3 failures are checked: {answers:?}");
        assert!(answers.iter().filter(|(status, _)| *status == 429).all(|(_, retry)| retry.is_some()));
        assert_eq!(token_from(&app, RIGHTFUL, id, &client.client_secret).await.0, 200);
    }
}

on_both_backends_with! {
    |settings| {
        settings.rate_limit_per_second = 1;
        settings.rate_limit_burst = 3;
    };
    /// Each client has its own request rate: past it, `429` with `Retry-After` and the
    /// `RateLimit` headers, while other clients carry on; the bucket refills with (real) time.
    async fn a_client_over_its_rate_is_refused_and_others_are_not(app) {
        let first = app.get("CR00001", "/v1/claims").await.expect(200);
        assert_eq!(first.header("ratelimit-policy").as_deref(), Some("\"client\";q=3;w=3"));
        assert!(first.header("ratelimit").is_some_and(|v| v.starts_with("\"client\";r=2;t=")), "{:?}", first.header("ratelimit"));
        // The bucket refills a request a second, so the refusal comes after 3 requests or a few
        // more on a slow machine.
        let mut answers = Vec::new();
        let refused = loop {
            let reply = app.get("CR00001", "/v1/claims").await;
            if reply.status == 429 || answers.len() == 10 {
                break reply.expect(429);
            }
            answers.push(reply.expect(200).header("ratelimit").expect("RateLimit"));
        };
        assert!(answers.len() >= 2, "{answers:?}");
        assert_eq!(refused.json()["code"], "rate_limited");
        assert_eq!(refused.header("retry-after").as_deref(), Some("1"));
        assert!(refused.header("ratelimit").is_some_and(|v| v.starts_with("\"client\";r=0;")));
        app.get("CR00002", "/v1/claims").await.expect(200);
        app.advance_real_clock(chrono::Duration::seconds(2));
        app.get("CR00001", "/v1/claims").await.expect(200);
    }
}
