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
    #[error("That picture is too large: at most {0} × {0} pixels.")]
    TooManyPixels(u32),
}

/// Turns uploaded bytes into the stored avatar. A picture may have at most `max_side` pixels a
/// side: read from the header before anything is decoded, so a small file that claims to be
/// huge costs nothing; the decoder may then allocate at most `max_side`² pixels of 8-bit RGBA.
pub fn avatar_from_upload(
    file_name: &str,
    bytes: &[u8],
    max_bytes: usize,
    max_side: u32,
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
    limits.max_image_width = Some(max_side);
    limits.max_image_height = Some(max_side);
    limits.max_alloc = Some(u64::from(max_side) * u64::from(max_side) * 4);
    let mut reader = reader;
    reader.limits(limits);
    // The header first: its dimensions alone refuse a picture too large to decode.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), claimed)
        .into_dimensions()
        .map_err(|_| ImageError::Undecodable)?;
    if width > max_side || height > max_side {
        return Err(ImageError::TooManyPixels(max_side));
    }
    let picture = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => ImageError::TooManyPixels(max_side),
        _ => ImageError::Undecodable,
    })?;
    // The middle square first, then scaled: `resize_to_fill` would scale a 4096 × 2 picture to
    // 256,000 × 125 before cropping (a gigabyte of work buffers).
    let side = picture.width().min(picture.height());
    let square = picture
        .crop_imm(
            (picture.width() - side) / 2,
            (picture.height() - side) / 2,
            side,
            side,
        )
        .resize_exact(AVATAR_SIZE, AVATAR_SIZE, FilterType::Lanczos3);
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
        let avatar = avatar_from_upload("me.PNG", &png(300, 200), 1 << 20, 4096).unwrap();
        let back = image::load_from_memory(&avatar.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (125, 125));
        assert_eq!(avatar.content_type, "image/png");
        assert_eq!(avatar.etag.len(), 16);
    }

    #[test]
    fn bad_uploads_are_refused() {
        assert_eq!(
            avatar_from_upload("a.png", b"", 100, 4096),
            Err(ImageError::Empty)
        );
        assert_eq!(
            avatar_from_upload("a.png", &png(10, 10), 10, 4096),
            Err(ImageError::TooLarge(0))
        );
        assert_eq!(
            avatar_from_upload("a.gif", &png(10, 10), 1 << 20, 4096),
            Err(ImageError::WrongType)
        );
        assert_eq!(
            avatar_from_upload("a.png", b"hello, not a picture", 1 << 20, 4096),
            Err(ImageError::Undecodable)
        );
        assert_eq!(
            avatar_from_upload("a.jpg", &png(10, 10), 1 << 20, 4096),
            Err(ImageError::Undecodable)
        );
    }

    /// A PNG whose header claims `width` × `height` with almost no data behind it.
    fn claimed_png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Grayscale);
        let mut writer = encoder.write_header().unwrap();
        // An image data chunk holding an empty zlib stream: the decoder would have to
        // allocate for all the pixels the header claims.
        let empty_zlib = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
        writer.write_chunk(png::chunk::IDAT, &empty_zlib).unwrap();
        drop(writer);
        out
    }

    #[test]
    fn pixel_counts_are_checked_before_decoding() {
        let started = std::time::Instant::now();
        assert_eq!(
            avatar_from_upload("huge.png", &claimed_png(20_000, 20_000), 1 << 20, 4096),
            Err(ImageError::TooManyPixels(4096))
        );
        assert_eq!(
            avatar_from_upload("wide.png", &claimed_png(4097, 10), 1 << 20, 4096),
            Err(ImageError::TooManyPixels(4096))
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        // A long thin picture is cropped before it is scaled: quick, and square.
        let started = std::time::Instant::now();
        let thin = avatar_from_upload("thin.png", &png(4096, 2), 1 << 22, 4096).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        let back = image::load_from_memory(&thin.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (125, 125));
    }
}
