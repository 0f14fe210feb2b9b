//! PostgreSQL's binary `COPY` format, for the bulk inserts of an import: one `COPY ... FROM
//! STDIN` per table and batch streams every row through sqlx's `copy_in_raw`, without a
//! statement to parse, plan and bind per thousand rows.
//!
//! Written by hand because the format is a short header, per row a field count and
//! length-prefixed big-endian values, and a trailer (PostgreSQL's documentation, "COPY",
//! "Binary Format"), and no well-kept crate writes it for sqlx. Only `BIGINT` (8 bytes),
//! `TEXT` (UTF-8) and `BYTEA` (raw bytes) columns are written.

/// The rows of one binary `COPY`.
pub(crate) struct BinaryCopy {
    buf: Vec<u8>,
}

/// The signature, flags (no OIDs) and header extension length of the format.
const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

impl BinaryCopy {
    /// An empty copy with room for about `bytes` bytes.
    pub(crate) fn with_capacity(bytes: usize) -> BinaryCopy {
        let mut buf = Vec::with_capacity(HEADER.len() + bytes + 2);
        buf.extend_from_slice(HEADER);
        BinaryCopy { buf }
    }

    /// Starts a row of `fields` values.
    pub(crate) fn row(&mut self, fields: u16) -> &mut BinaryCopy {
        self.buf.extend_from_slice(&fields.to_be_bytes());
        self
    }

    /// A `BIGINT`.
    pub(crate) fn int8(&mut self, value: i64) -> &mut BinaryCopy {
        self.buf.extend_from_slice(&8i32.to_be_bytes());
        self.buf.extend_from_slice(&value.to_be_bytes());
        self
    }

    /// A `TEXT`.
    pub(crate) fn text(&mut self, value: &str) -> &mut BinaryCopy {
        self.bytes(value.as_bytes())
    }

    /// A `BYTEA`.
    pub(crate) fn bytes(&mut self, value: &[u8]) -> &mut BinaryCopy {
        let len = i32::try_from(value.len()).expect("a value of less than 2 GiB");
        self.buf.extend_from_slice(&len.to_be_bytes());
        self.buf.extend_from_slice(value);
        self
    }

    /// A `NULL`.
    pub(crate) fn null(&mut self) -> &mut BinaryCopy {
        self.buf.extend_from_slice(&(-1i32).to_be_bytes());
        self
    }

    /// A `TEXT` or `NULL`.
    pub(crate) fn text_or_null(&mut self, value: Option<&str>) -> &mut BinaryCopy {
        match value {
            Some(value) => self.text(value),
            None => self.null(),
        }
    }

    /// The bytes to send, with the trailer.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.buf.extend_from_slice(&(-1i16).to_be_bytes());
        self.buf
    }
}

/// Sends `copy` to `statement` (a `COPY ... FROM STDIN (FORMAT binary)`) on `conn`.
pub(crate) async fn send(
    conn: &mut sqlx::PgConnection,
    statement: &str,
    copy: BinaryCopy,
) -> Result<u64, sqlx::Error> {
    let mut sink = conn.copy_in_raw(statement).await?;
    if let Err(err) = sink.send(copy.finish()).await {
        // The server's own error, when there is one, says more than the send's.
        return Err(sink.abort(err.to_string()).await.err().unwrap_or(err));
    }
    sink.finish().await
}

#[cfg(test)]
mod tests {
    use super::BinaryCopy;

    #[test]
    fn rows_are_length_prefixed_big_endian() {
        let mut copy = BinaryCopy::with_capacity(0);
        copy.row(3).int8(258).text("ab").null();
        let bytes = copy.finish();
        assert_eq!(&bytes[..11], b"PGCOPY\n\xff\r\n\0");
        assert_eq!(&bytes[11..19], &[0; 8], "no flags, no header extension");
        let row = [
            &[0, 3][..],
            &[0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2],
            &[0, 0, 0, 2, b'a', b'b'],
            &[0xff, 0xff, 0xff, 0xff],
            &[0xff, 0xff],
        ]
        .concat();
        assert_eq!(&bytes[19..], &row[..]);
    }
}
