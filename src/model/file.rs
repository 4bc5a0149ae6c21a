//! Model file bytes: compact JSON, gzip-compressed when the file name ends in `.gz`; gzip is
//! recognised on load by its magic bytes, whatever the name.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::path::Path;

use crate::Error;

/// The first two bytes of every gzip stream (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Largest decompressed model accepted (4 GiB), so a corrupt or hostile file cannot fill memory.
const MAX_DECOMPRESSED: u64 = 4 << 30;

/// The bytes to write for `json` at `path`: gzip (level 6) when the name ends in `.gz`.
pub(crate) fn encode(path: &Path, json: &str) -> Result<Vec<u8>, Error> {
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    {
        return Ok(json.as_bytes().to_vec());
    }
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(json.len() / 4),
        flate2::Compression::default(),
    );
    gz.write_all(json.as_bytes())
        .and_then(|_| gz.finish())
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// The JSON inside a model file's bytes: gunzipped when they start with gzip's magic bytes.
pub(crate) fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, [u8]>, Error> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(Cow::Borrowed(bytes));
    }
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4));
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut out)
        .map_err(|e| Error::Corrupt {
            path: path.to_path_buf(),
            reason: format!("the file starts as gzip but does not decompress: {e}"),
        })?;
    if out.len() as u64 > MAX_DECOMPRESSED {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: format!("it decompresses to more than {MAX_DECOMPRESSED} bytes"),
        });
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_by_name_on_save_by_magic_on_load() {
        let json = "{\"format\":\"x\"}";
        let plain = encode(Path::new("m.json"), json).unwrap();
        assert_eq!(plain, json.as_bytes());
        let gz = encode(Path::new("m.json.GZ"), json).unwrap();
        assert!(gz.starts_with(&GZIP_MAGIC));
        // Detected by content, not by name.
        assert_eq!(&*decode(Path::new("m.json"), &gz).unwrap(), json.as_bytes());
        assert_eq!(
            &*decode(Path::new("m.gz"), &plain).unwrap(),
            json.as_bytes()
        );
        let cut = &gz[..gz.len() - 6];
        assert!(matches!(
            decode(Path::new("m.json.gz"), cut),
            Err(Error::Corrupt { .. })
        ));
    }
}
