//! The dashboard in a real browser: headless Chromium driven through ChromeDriver logs in, loads
//! the map and the timeline, filters, records a review and a ruling, and looks at the public
//! view. Screenshots of the main pages are written to `target/screenshots/` (or
//! `$TRUCE_SCREENSHOTS`). Skipped, with a message, when Chromium or ChromeDriver is missing
//! (`.ci/run` installs them).

#[allow(
    dead_code,
    reason = "the support module also serves the API tests, which use all of it"
)]
mod support;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use support::{PASSWORD, TestServer};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_binary(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| p.to_string())
}

async fn browser() -> Option<(Driver, Client)> {
    let (Some(chromedriver), Some(chromium)) = (
        find_binary(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]),
        find_binary(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]),
    ) else {
        eprintln!(
            "SKIPPED browser test: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver; .ci/run does it)"
        );
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"]
        }
    });
    let mut last = None;
    for _ in 0..50 {
        let mut b = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        b.capabilities(caps.as_object().unwrap().clone());
        match b.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(c) => return Some((driver, c)),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not start: {last:?}");
}

async fn shot(c: &Client, name: &str) {
    let dir = std::env::var("TRUCE_SCREENSHOTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
        });
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Waits until the dashboard finished loading `n` times.
async fn loaded(c: &Client, n: u64) {
    for _ in 0..200 {
        let v = c
            .execute(
                "return document.getElementById('dashboard').dataset.loaded || '0';",
                vec![],
            )
            .await
            .unwrap();
        if v.as_str().and_then(|s| s.parse::<u64>().ok()).unwrap_or(0) >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let error = c
        .execute(
            "return document.documentElement.dataset.scriptError || '';",
            vec![],
        )
        .await
        .unwrap();
    panic!("the dashboard did not load (script error: {error})");
}

/// What a script returns once it returns something other than "" (the map's data attributes
/// are set when its names or sites are drawn); fails after ten seconds.
async fn eventually(c: &Client, script: &str) -> String {
    for _ in 0..100 {
        let v = c.execute(script, vec![]).await.unwrap();
        if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
            return s.to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing came of {script}");
}

async fn login(c: &Client, base: &str, user: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    type_into(c, "#username", user).await;
    type_into(c, "#password", PASSWORD).await;
    click(c, "#login-submit").await;
    c.wait().for_element(Locator::Id("whoami")).await.unwrap();
}

async fn logout(c: &Client) {
    click(c, "#logout").await;
    c.wait()
        .for_element(Locator::Id("login-submit"))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_log_in_filter_the_map_review_and_rule_in_a_browser() {
    let Some((_driver, c)) = browser().await else {
        return;
    };
    let s = TestServer::start(false).await;
    s.monitor_with_agreement_and_site().await;
    let base = s.base.clone();

    // A wrong password shows an error and no session.
    c.goto(&format!("{base}/login")).await.unwrap();
    type_into(&c, "#username", "monitor").await;
    type_into(&c, "#password", "wrong").await;
    click(&c, "#login-submit").await;
    let err = c
        .wait()
        .for_element(Locator::Id("login-error"))
        .await
        .unwrap();
    assert!(
        err.text()
            .await
            .unwrap()
            .contains("Wrong username or password")
    );

    // The monitor's dashboard: markers on the map, a timeline, the list.
    login(&c, &base, "monitor").await;
    c.goto(&format!("{base}/")).await.unwrap();
    loaded(&c, 1).await;
    let markers = c
        .find_all(Locator::Css(".leaflet-overlay-pane path, .cluster-icon"))
        .await
        .unwrap();
    assert!(!markers.is_empty(), "no markers on the map");
    // The monitor adds a source to watch from the dashboard; it is listed, not fetched yet.
    type_into(
        &c,
        "#source-add input[name=url]",
        "https://wire.example/world/rss.xml",
    )
    .await;
    type_into(&c, "#source-add input[name=name]", "World wire").await;
    click(&c, "#source-add button[type=submit]").await;
    let listed = eventually(
        &c,
        "return Array.from(document.querySelectorAll('#source-list tbody tr')).map((r) => r.textContent).join('|');",
    )
    .await;
    assert!(
        listed.contains("World wire") && listed.contains("not fetched yet"),
        "{listed}"
    );
    loaded(&c, 1).await;
    // The legend shows each type's colour.
    let swatches = c.find_all(Locator::Css("#legend .swatch")).await.unwrap();
    assert_eq!(swatches.len(), 6, "a swatch for each ACLED type");
    // The base map names the view's towns, from the bundled gazetteer.
    let drawn = eventually(
        &c,
        "return document.getElementById('map').dataset.placeNames || '';",
    )
    .await;
    assert!(drawn.parse::<u32>().unwrap() > 0, "no place names: {drawn}");
    // Its rivers, lakes and provinces, from the bundled file (no network).
    let layers = eventually(
        &c,
        "return document.getElementById('map').dataset.basemap || '';",
    )
    .await;
    assert_eq!(layers, "rivers,lakes,provinces");
    let names = c
        .execute(
            "return Array.from(document.querySelectorAll('.place-label .place-name')).map((e) => e.textContent).join('|');",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        names.as_str().unwrap().contains("Aleppo"),
        "the view over the strikes names Aleppo: {names}"
    );
    assert!(
        c.find(Locator::Css("#timeline canvas")).await.is_ok(),
        "no timeline chart"
    );
    let rows = c
        .find_all(Locator::Css("#incidents tbody tr"))
        .await
        .unwrap()
        .len();
    assert!(rows >= 5, "{rows} rows");
    // The health index is plotted and the alerts listed.
    assert!(
        c.find(Locator::Css("#health canvas")).await.is_ok(),
        "no health index chart"
    );
    let legend = c.find_css("#health-legend").await.text().await.unwrap();
    assert!(legend.contains("truce-health/2"), "{legend}");
    let alerts = c.find_css("#alerts").await.text().await.unwrap();
    assert!(
        alerts.contains("strike on a known medical facility"),
        "{alerts}"
    );
    shot(&c, "dashboard").await;

    // Events imported from ACLED are a layer of their own, shown when asked for.
    s.store
        .import_external(
            truce_model::Dataset::Acled,
            &[truce_model::ExternalRecord {
                id: "SYR9001".into(),
                date: "2025-05-14".into(),
                event_type: "Explosions/Remote violence".into(),
                location: "Aleppo".into(),
                lat: Some(36.21),
                lon: Some(37.16),
                fatalities: 2,
                notes: Some("<b>not markup</b>".into()),
                line: 2,
                ..Default::default()
            }],
            "acled.csv",
            "test",
        )
        .await
        .unwrap();
    click(&c, "#external").await;
    let mut legend = String::new();
    for _ in 0..100 {
        legend = c.find_css("#external-legend").await.text().await.unwrap();
        if !legend.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(legend, "1 imported event(s) on the map.");
    click(&c, "#external").await;

    // Filter to battles: only the Saraqib clashes remain.
    select(&c, "select[name=type]", "Battles").await;
    click(&c, "#apply").await;
    loaded(&c, 2).await;
    let rows = c
        .find_all(Locator::Css("#incidents tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let text = rows[0].text().await.unwrap();
    assert!(text.contains("Saraqib"), "{text}");

    // The view is in the address: Back steps out of it, and the address alone restores it (the
    // type in any case), so that it can be bookmarked and sent.
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains("type=Battles"), "{url}");
    c.back().await.unwrap();
    loaded(&c, 3).await;
    let all = c
        .find_all(Locator::Css("#incidents tbody tr"))
        .await
        .unwrap();
    assert!(all.len() > 1, "Back shows every incident again");
    c.goto(&format!("{base}/?type=battles")).await.unwrap();
    loaded(&c, 1).await;
    let chosen = c
        .execute(
            "return document.querySelector('select[name=type]').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(chosen, "Battles");
    let rows = c
        .find_all(Locator::Css("#incidents tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "the shared address restores the view");

    // Open it and record a review.
    rows[0]
        .find(Locator::Css("a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let form = c
        .wait()
        .for_element(Locator::Id("review-form"))
        .await
        .unwrap();
    select(&form, "select[name=status]", "confirmed").await;
    select(&form, "select[name=grade]", "fair").await;
    type_into(&form, "input[name=note]", "two outlets, same place and day").await;
    click(&form, "button").await;
    c.wait()
        .for_element(Locator::XPath(
            "//dd[@id='status' and contains(., 'confirmed')]",
        ))
        .await
        .unwrap();
    let url = c.current_url().await.unwrap().to_string();
    shot(&c, "incident").await;
    logout(&c).await;

    // The co-chair rules on it.
    login(&c, &base, "co-chair").await;
    c.goto(&url).await.unwrap();
    let form = c
        .wait()
        .for_element(Locator::Id("ruling-form"))
        .await
        .unwrap();
    // The co-chair keeps the register: the incident's map draws the hospital near it.
    let sites = eventually(
        &c,
        "return document.getElementById('minimap').dataset.sites || '';",
    )
    .await;
    assert_eq!(sites, "1", "the hospital near the strike");
    assert!(c.find(Locator::Css("#minimap .site-mark")).await.is_ok());
    select(&form, "select[name=ruling]", "violation").await;
    type_into(&form, "input[name=note]", "fighting inside a covered zone").await;
    click(&form, "button").await;
    let ruling = c.wait().for_element(Locator::Id("ruling")).await.unwrap();
    assert!(ruling.text().await.unwrap().contains("violation"));
    click(&c, "#publish-form button").await;
    c.wait()
        .for_element(Locator::XPath(
            "//p[@id='ruling' and contains(., 'published')]",
        ))
        .await
        .unwrap();
    let history = c
        .find(Locator::Id("history"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("review.add")
            && history.contains("case.rule")
            && history.contains("reviewed it: ")
            && history.contains("ruled: ")
            && !history.contains("{\""),
        "{history}"
    );
    logout(&c).await;

    // The public view shows the confirmed incident, without a login.
    c.goto(&format!("{base}/public")).await.unwrap();
    loaded(&c, 1).await;
    assert!(c.find(Locator::Id("public-banner")).await.is_ok());
    let rows = c
        .find_all(Locator::Css("#incidents tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "only the confirmed incident is public");
    // The public's map is named too (public data), once it has settled on the incident.
    eventually(
        &c,
        "return document.getElementById('map').dataset.placeNames || '';",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    shot(&c, "public").await;
    c.goto(&url).await.unwrap();
    let ruling = c.wait().for_element(Locator::Id("ruling")).await.unwrap();
    assert!(ruling.text().await.unwrap().contains("violation"));
    assert!(
        c.find(Locator::Id("sources")).await.is_err(),
        "sources are withheld from the public"
    );
    c.close().await.unwrap();
}

/// Picks an option of a `<select>` inside `scope` by its label.
async fn select(scope: &impl Find, css: &str, label: &str) {
    scope
        .find_css(css)
        .await
        .select_by_label(label)
        .await
        .unwrap_or_else(|e| panic!("{css}: no option {label:?}: {e}"));
}

/// Types into a field inside `scope`.
async fn type_into(scope: &impl Find, css: &str, text: &str) {
    scope
        .find_css(css)
        .await
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("{css}: cannot type: {e}"));
}

/// Clicks an element inside `scope`.
async fn click(scope: &impl Find, css: &str) {
    scope
        .find_css(css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css}: cannot click: {e}"));
}

/// Finding by CSS selector in a page or inside an element.
trait Find {
    async fn find_css(&self, css: &str) -> Element;
}

impl Find for Client {
    async fn find_css(&self, css: &str) -> Element {
        self.find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }
}

impl Find for Element {
    async fn find_css(&self, css: &str) -> Element {
        self.find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} in the element: {e}"))
    }
}
