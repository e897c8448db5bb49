//! QR rendering of a code text, as SVG for web pages and PNG for downloads and printing.

use image::ImageEncoder as _;
use qrcode::{EcLevel, QrCode};

use crate::CredentialError;

/// Error correction M (15 %): codes are shown on phone screens, which are not torn or soiled,
/// and a lower level keeps the symbol small enough to scan from a distance.
const EC_LEVEL: EcLevel = EcLevel::M;

fn code(text: &str) -> Result<QrCode, CredentialError> {
    QrCode::with_error_correction_level(text.as_bytes(), EC_LEVEL)
        .map_err(|e| CredentialError::Qr(e.to_string()))
}

/// The QR code of `text` as a standalone SVG document (with quiet zone, at least 256 px).
pub fn qr_svg(text: &str) -> Result<String, CredentialError> {
    Ok(code(text)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// The QR code of `text` as an 8-bit greyscale PNG, 4 pixels per module, with quiet zone.
pub fn qr_png(text: &str) -> Result<Vec<u8>, CredentialError> {
    let image = code(text)?
        .render::<image::Luma<u8>>()
        .module_dimensions(4, 4)
        .quiet_zone(true)
        .build();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::L8,
        )
        .map_err(|e| CredentialError::Qr(e.to_string()))?;
    Ok(out)
}
