//! Webhook endpoints: a region's admin (national, or the province's)
//! registers where the region's changes are sent, for which kinds of
//! change; Berguru gives the signing secret once, at registration. The
//! deliveries themselves are [`crate::webhook`]'s.

use chrono::Utc;
use entity::{TextList, WebhookEvent, WebhookStatus, region, webhook_delivery, webhook_endpoint};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::write::{self, ObjectKind, audit, check_version};
use crate::error::{ApiError, Result};

/// Endpoints one region may have.
pub const MAX_ENDPOINTS_PER_REGION: u64 = 10;
/// Longest endpoint URL.
pub const MAX_URL: usize = 2_000;

/// An endpoint URL: `https://`, or `http://` to this machine (loopback,
/// for tests and a local relay); no user name or password in it.
pub fn check_url(url: &str) -> Result<String> {
    let url = url.trim();
    write::check_len("url", url, MAX_URL)?;
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| ApiError::bad_input("url", format!("{url:?} is not a URL: {e}")))?;
    let loopback = parsed.host_str().is_some_and(|h| {
        h.eq_ignore_ascii_case("localhost")
            || h.trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|a| a.is_loopback())
    });
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(ApiError::bad_input(
                "url",
                "deliveries carry a signature but are not secret: use https:// (plain http:// only to this machine, 127.0.0.1 or localhost)",
            ));
        }
        s => {
            return Err(ApiError::bad_input(
                "url",
                format!("the scheme must be https (not {s})"),
            ));
        }
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(ApiError::bad_input("url", "the URL has no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ApiError::bad_input(
            "url",
            "put no credentials in the URL: receivers check the signature",
        ));
    }
    Ok(parsed.to_string())
}

fn check_events(events: &[WebhookEvent]) -> Result<TextList> {
    if events.is_empty() {
        return Err(ApiError::bad_input(
            "events",
            "name at least one kind of change to receive",
        ));
    }
    let mut names: Vec<String> = events.iter().map(entity::wire_name).collect();
    names.sort();
    names.dedup();
    Ok(TextList(names))
}

/// Refuses anyone but an admin whose scope covers `region` (a national
/// admin, or the admin of its province).
async fn check_admin(db: &impl ConnectionTrait, viewer: &Viewer, region: &str) -> Result<()> {
    viewer.require_admin()?;
    viewer.check_region(db, region, "webhooks").await
}

/// A new endpoint.
#[derive(Clone, Debug)]
pub struct NewEndpoint {
    pub region_code: String,
    pub url: String,
    pub events: Vec<WebhookEvent>,
}

/// Registers an endpoint; returns it with its secret (shown only now).
pub async fn register(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewEndpoint,
) -> Result<(webhook_endpoint::Model, String)> {
    let url = check_url(&new.url)?;
    let events = check_events(&new.events)?;
    let txn = write::begin(db).await?;
    if region::Entity::find_by_id(new.region_code.clone())
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(ApiError::bad_input(
            "regionCode",
            format!("no region has code {:?}", new.region_code),
        ));
    }
    check_admin(&txn, viewer, &new.region_code).await?;
    let count = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::RegionCode.eq(&new.region_code))
        .count(&txn)
        .await?;
    if count >= MAX_ENDPOINTS_PER_REGION {
        return Err(ApiError::bad_input(
            "regionCode",
            format!(
                "region {} has {count} endpoints already, the most it may have",
                new.region_code
            ),
        ));
    }
    let now = Utc::now();
    let secret = crate::webhook::generate_secret();
    let m = webhook_endpoint::Model {
        id: Uuid::new_v4(),
        region_code: new.region_code,
        url,
        secret: secret.clone(),
        events,
        status: WebhookStatus::Active,
        failing_since: None,
        last_delivered_at: None,
        last_error: None,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let m = m.into_active_model().insert(&txn).await?;
    audit(
        &txn,
        viewer,
        "registerWebhookEndpoint",
        ObjectKind::WebhookEndpoint,
        m.id,
        write::NONE,
        Some(&m),
    )
    .await?;
    write::commit(txn).await?;
    Ok((m, secret))
}

/// Loads an endpoint for a write by an admin of its region.
async fn own(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
) -> Result<webhook_endpoint::Model> {
    let e = webhook_endpoint::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no webhook endpoint has id {id}")))?;
    check_admin(db, viewer, &e.region_code).await?;
    check_version("the webhook endpoint", e.version, version)?;
    Ok(e)
}

/// Changes an endpoint's URL or kinds of change.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    url: Option<String>,
    events: Option<Vec<WebhookEvent>>,
) -> Result<webhook_endpoint::Model> {
    let url = url.as_deref().map(check_url).transpose()?;
    let events = events.as_deref().map(check_events).transpose()?;
    let txn = write::begin(db).await?;
    let before = own(&txn, viewer, id, version).await?;
    let mut changed = before.clone();
    if let Some(u) = url {
        changed.url = u;
    }
    if let Some(e) = events {
        changed.events = e;
    }
    let m = write::save_versioned(&txn, viewer, "updateWebhookEndpoint", &before, changed).await?;
    write::commit(txn).await?;
    Ok(m)
}

/// Resumes a paused (or failing) endpoint: it is active again, its failure
/// is forgotten, and everything still waiting is sent on the next round.
pub async fn resume(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
) -> Result<webhook_endpoint::Model> {
    let txn = write::begin(db).await?;
    let before = own(&txn, viewer, id, version).await?;
    let mut changed = before.clone();
    changed.status = WebhookStatus::Active;
    changed.failing_since = None;
    let m = write::save_versioned(&txn, viewer, "resumeWebhookEndpoint", &before, changed).await?;
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            Expr::value(Utc::now()),
        )
        .filter(webhook_delivery::Column::EndpointId.eq(id))
        .filter(webhook_delivery::Column::DeliveredAt.is_null())
        .exec(&txn)
        .await?;
    write::commit(txn).await?;
    Ok(m)
}

/// Removes an endpoint and its deliveries (sent or waiting).
pub async fn remove(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
) -> Result<webhook_endpoint::Model> {
    let txn = write::begin(db).await?;
    let before = own(&txn, viewer, id, version).await?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::EndpointId.eq(id))
        .exec(&txn)
        .await?;
    webhook_endpoint::Entity::delete_by_id(id)
        .exec(&txn)
        .await?;
    audit(
        &txn,
        viewer,
        "removeWebhookEndpoint",
        ObjectKind::WebhookEndpoint,
        id,
        Some(&before),
        write::NONE,
    )
    .await?;
    write::commit(txn).await?;
    Ok(before)
}

/// The endpoints of `region`, for an admin of it, oldest first.
pub async fn endpoints_of(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    region: &str,
) -> Result<Vec<webhook_endpoint::Model>> {
    check_admin(db, viewer, region).await?;
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::RegionCode.eq(region))
        .order_by_asc(webhook_endpoint::Column::CreatedAt)
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await?)
}

/// One endpoint, for an admin of its region; `None` if none has that id.
pub async fn endpoint(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<webhook_endpoint::Model>> {
    let Some(e) = webhook_endpoint::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    check_admin(db, viewer, &e.region_code).await?;
    Ok(Some(e))
}

/// An endpoint's deliveries, newest first; only those still waiting when
/// `pending` is true.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    endpoint: Uuid,
    pending: bool,
    first: u64,
) -> Result<Vec<webhook_delivery::Model>> {
    let mut q =
        webhook_delivery::Entity::find().filter(webhook_delivery::Column::EndpointId.eq(endpoint));
    if pending {
        q = q.filter(webhook_delivery::Column::DeliveredAt.is_null());
    }
    Ok(q.order_by_desc(webhook_delivery::Column::CreatedAt)
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(first)
        .all(db)
        .await?)
}

/// How many of an endpoint's deliveries wait to be sent.
pub async fn pending_count(db: &impl ConnectionTrait, endpoint: Uuid) -> Result<u64> {
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint))
        .filter(webhook_delivery::Column::DeliveredAt.is_null())
        .count(db)
        .await?)
}
