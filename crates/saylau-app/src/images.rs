//! Protocol images (`docs/portal.md`, "Protocol images"): a photo or scan of a station's
//! paper protocol, uploaded by its commission (`saylau protocol image add`, the working
//! interface's form, `POST /api/v1/stations/{id}/image`) and published on the station's
//! page beside its numbers.
//!
//! A file is accepted when it is a JPEG, PNG or PDF by its first bytes (never by the name
//! or the type a client claims) and at most [`MAX_IMAGE_BYTES`]. It is stored under its
//! SHA-256 and recorded as a signed log entry of the station (`saylau_store::images`),
//! signed by the key of the station's commission or one above it on behalf of the operator;
//! a further image of the same station is a new version and needs a reason, like a
//! correction of a protocol.

use saylau_store::digest::Digest;
use saylau_store::id::{ElectionId, Kind, Subject};
use saylau_store::images::{IMAGE_FORMAT, IMAGE_KIND, ImagePayload, StoredImage};
use saylau_store::key::CommissionKey;
use saylau_store::ledger::{self, AppendError, Appended, Submission};
use saylau_store::store::Store;
use serde::Serialize;

/// The largest image accepted, in bytes (10 MiB: a scan of a protocol at 300 dpi, or a
/// phone photo, is well under it).
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// The types of file accepted, by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MediaType {
    /// A JPEG photo (`FF D8 FF`).
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// A PNG image (`89 50 4E 47 0D 0A 1A 0A`).
    #[serde(rename = "image/png")]
    Png,
    /// A PDF scan (`%PDF-`).
    #[serde(rename = "application/pdf")]
    Pdf,
}

impl MediaType {
    /// Every accepted type.
    pub const ALL: [MediaType; 3] = [MediaType::Jpeg, MediaType::Png, MediaType::Pdf];

    /// The type of `bytes` by their magic number, if it is one accepted.
    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(MediaType::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else {
            None
        }
    }

    /// The media type, as `Content-Type` and the payload write it.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Pdf => "application/pdf",
        }
    }

    /// The file extension, for a download's name.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Pdf => "pdf",
        }
    }
}

/// An image that was not recorded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImageError {
    /// The station id is not one.
    #[error("station {station}: {problem}")]
    Station {
        /// The station as given.
        station: String,
        /// What is wrong.
        problem: String,
    },
    /// No bytes.
    #[error("the image of station {station} is empty")]
    Empty {
        /// The station.
        station: String,
    },
    /// Over [`MAX_IMAGE_BYTES`].
    #[error(
        "the image of station {station} has {size} bytes, over the limit of {max} bytes (10 MiB)"
    )]
    TooLarge {
        /// The station.
        station: String,
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Not a JPEG, PNG or PDF by its first bytes.
    #[error(
        "the image of station {station} is not a JPEG, PNG or PDF file (its first bytes are \
         {start}); only these are accepted, whatever the file's name or claimed type"
    )]
    Type {
        /// The station.
        station: String,
        /// Its first bytes in hex.
        start: String,
    },
    /// A further image without a reason.
    #[error(
        "station {station} has an image already (version {current}): a further image \
         replaces it and needs a reason"
    )]
    ReasonRequired {
        /// The station.
        station: String,
        /// The current version.
        current: u64,
    },
    /// The log refused the entry (a key not entitled to the station, a stale base).
    #[error("{0}")]
    Append(#[from] AppendError),
    /// A database error.
    #[error("store: {0}")]
    Database(#[from] saylau_store::error::DatabaseError),
}

impl ImageError {
    /// Whether it is refused input rather than a failure.
    pub fn refused(&self) -> bool {
        !matches!(self, ImageError::Database(_) | ImageError::Append(AppendError::Database(_)))
    }
}

/// One upload.
#[derive(Debug, Clone)]
pub struct Upload<'a> {
    /// The election.
    pub election: &'a ElectionId,
    /// The station (`RR-DD-SSSS`).
    pub station: &'a str,
    /// The file.
    pub bytes: Vec<u8>,
    /// Who uploaded it, as the payload names them.
    pub operator: &'a str,
    /// The log entry's author.
    pub author: &'a str,
    /// Why, for a further image of the station.
    pub reason: Option<&'a str>,
}

/// A recorded image version, as the station's page and `/api/v1` show it.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// The version of the station's image (1 for the first).
    pub version: u64,
    /// The log entry that records it.
    pub seq: u64,
    /// The file's SHA-256 (lowercase hex): its address, `/img/{sha256}`.
    pub sha256: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Who uploaded it.
    pub operator: String,
    /// The log entry's author.
    pub author: String,
    /// Why it replaced the version before.
    pub reason: Option<String>,
    /// When it was recorded (UTC, RFC 3339).
    pub recorded_at: String,
}

/// What an upload did.
#[derive(Debug, Clone, Serialize)]
pub struct Added {
    /// The station.
    pub station: String,
    /// Whether a new version was recorded (`false`: the same file by the same operator is
    /// the current version already).
    pub recorded: bool,
    /// The station's current image.
    pub image: ImageView,
}

fn kind() -> Kind {
    IMAGE_KIND.parse().expect("a valid kind")
}

/// Checks the file's size and type, stores it, and appends its entry signed by `key`.
pub async fn add(
    store: &Store,
    upload: Upload<'_>,
    key: &CommissionKey,
) -> Result<Added, ImageError> {
    let station = upload.station.to_owned();
    let size = upload.bytes.len();
    if size == 0 {
        return Err(ImageError::Empty { station });
    }
    if size > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge { station, size, max: MAX_IMAGE_BYTES });
    }
    let Some(media_type) = MediaType::sniff(&upload.bytes) else {
        let start = hex::encode(&upload.bytes[..size.min(8)]);
        return Err(ImageError::Type { station, start });
    };
    let hash = Digest::of(&upload.bytes);
    let payload = ImagePayload {
        format: IMAGE_FORMAT.to_owned(),
        media_type: media_type.as_str().to_owned(),
        operator: upload.operator.to_owned(),
        sha256: hash.to_hex(),
        size: size as u64,
        station: station.clone(),
    };
    let bytes = payload.bytes();
    let subject = Subject::new(&station).map_err(|err| ImageError::Station {
        station: station.clone(),
        problem: err.to_string(),
    })?;
    let kind = kind();
    let current = ledger::current(store, upload.election, &kind, &subject).await?;
    let reason = upload.reason.map(str::trim).filter(|it| !it.is_empty());
    if let Some(current) = current
        && current.content_hash != Digest::of(&bytes)
        && reason.is_none()
    {
        return Err(ImageError::ReasonRequired { station, current: current.version.0 });
    }
    // The file first: a crash before the entry leaves bytes no entry names.
    saylau_store::images::put_image(store, upload.bytes).await?;
    let submission = Submission {
        election: upload.election,
        kind: &kind,
        subject: &subject,
        payload: &bytes,
        base: current.map(|it| it.version),
        reason: current.and(reason),
        author: upload.author,
    };
    let (recorded, version) = match ledger::append(store, &submission, key).await? {
        Appended::Recorded { version, .. } => (true, version),
        Appended::Unchanged { version } => (false, version),
    };
    let image = station_images(store, upload.election, &station)
        .await?
        .into_iter()
        .find(|it| it.version == version.0)
        .ok_or(ImageError::Append(AppendError::CurrentMoved { subject, version }))?;
    Ok(Added { station, recorded, image })
}

/// Every image version of `station`, oldest first.
pub async fn station_images(
    store: &Store,
    election: &ElectionId,
    station: &str,
) -> Result<Vec<ImageView>, saylau_store::error::DatabaseError> {
    let versions = saylau_store::images::versions(store, election, station).await?;
    Ok(versions
        .into_iter()
        .map(|it| ImageView {
            version: it.version,
            seq: it.seq,
            sha256: it.payload.sha256,
            media_type: it.payload.media_type,
            size: it.payload.size,
            operator: it.payload.operator,
            author: it.author,
            reason: it.reason,
            recorded_at: it.recorded_at,
        })
        .collect())
}

/// A stored image, to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum File {
    /// The bytes, which hash to the address, and their type by their first bytes.
    Found(MediaType, Vec<u8>),
    /// No image has that address (or it is not a SHA-256).
    Missing,
    /// The stored bytes no longer hash to the address: changed in the database
    /// (`saylau log verify` names the entry).
    Changed,
}

/// The image of `election` whose SHA-256 is `sha256` (lowercase hex), checked against it:
/// only a file that a signed image entry of the election names is served.
pub async fn file(
    store: &Store,
    election: &ElectionId,
    sha256: &str,
) -> Result<File, saylau_store::error::DatabaseError> {
    let Ok(hash) = sha256.parse::<Digest>() else { return Ok(File::Missing) };
    if hash.to_hex() != sha256 || !saylau_store::images::named(store, election, &hash).await? {
        return Ok(File::Missing);
    }
    Ok(match saylau_store::images::image(store, &hash).await? {
        StoredImage::Found(bytes) => match MediaType::sniff(&bytes) {
            Some(media_type) => File::Found(media_type, bytes),
            None => File::Changed,
        },
        StoredImage::Missing => File::Missing,
        StoredImage::Mismatch { .. } => File::Changed,
    })
}
