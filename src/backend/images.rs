//! Avatar pictures: decoded by the image crate whatever the file claims to be, cropped to a
//! square, scaled to 125×125 and re-encoded as PNG, which drops EXIF and anything smuggled in.

use super::db::Avatar;
use super::tokens::hex;
use image::{imageops::FilterType, ImageFormat, ImageReader};
use sha2::{Digest, Sha256};
use std::io::Cursor;

pub const AVATAR_SIZE: u32 = 125;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("Please choose a picture to upload.")]
    Empty,
    #[error("The picture is too large: the limit is {0} MB.")]
    TooLarge(usize),
    #[error("Only JPG and PNG pictures are allowed.")]
    WrongType,
    #[error("That file is not a readable JPG or PNG picture.")]
    Undecodable,
}

/// Turns uploaded bytes into the stored avatar.
pub fn avatar_from_upload(
    file_name: &str,
    bytes: &[u8],
    max_bytes: usize,
) -> Result<Avatar, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(ImageError::TooLarge(max_bytes / (1024 * 1024)));
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let claimed = match extension.as_str() {
        "png" => ImageFormat::Png,
        "jpg" | "jpeg" => ImageFormat::Jpeg,
        _ => return Err(ImageError::WrongType),
    };
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| ImageError::Undecodable)?;
    // The content decides, and it must agree with the name: a "picture.png" that is really
    // something else is refused.
    if reader.format() != Some(claimed) {
        return Err(ImageError::Undecodable);
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(10_000);
    limits.max_image_height = Some(10_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    let mut reader = reader;
    reader.limits(limits);
    let picture = reader.decode().map_err(|_| ImageError::Undecodable)?;
    let square = picture.resize_to_fill(AVATAR_SIZE, AVATAR_SIZE, FilterType::Lanczos3);
    let mut out = Cursor::new(Vec::new());
    square
        .to_rgba8()
        .write_to(&mut out, ImageFormat::Png)
        .map_err(|_| ImageError::Undecodable)?;
    let bytes = out.into_inner();
    let etag = hex(&Sha256::digest(&bytes)[..8]);
    Ok(Avatar {
        bytes,
        content_type: "image/png".to_string(),
        etag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn png_is_resized() {
        let avatar = avatar_from_upload("me.PNG", &png(300, 200), 1 << 20).unwrap();
        let back = image::load_from_memory(&avatar.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (125, 125));
        assert_eq!(avatar.content_type, "image/png");
        assert_eq!(avatar.etag.len(), 16);
    }

    #[test]
    fn bad_uploads_are_refused() {
        assert_eq!(
            avatar_from_upload("a.png", b"", 100),
            Err(ImageError::Empty)
        );
        assert_eq!(
            avatar_from_upload("a.png", &png(10, 10), 10),
            Err(ImageError::TooLarge(0))
        );
        assert_eq!(
            avatar_from_upload("a.gif", &png(10, 10), 1 << 20),
            Err(ImageError::WrongType)
        );
        assert_eq!(
            avatar_from_upload("a.png", b"hello, not a picture", 1 << 20),
            Err(ImageError::Undecodable)
        );
        assert_eq!(
            avatar_from_upload("a.jpg", &png(10, 10), 1 << 20),
            Err(ImageError::Undecodable)
        );
    }
}
