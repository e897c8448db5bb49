//! QR rendering: the PNG decodes to a square greyscale image that a QR reader reads back to the
//! same text, the SVG is an SVG document.

use credential::{qr_png, qr_svg};

const CODE: &str = "ZK1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA*LPUY29+KCFF-+K*LPH*AA:G$LO0OIY%KF*JNNG8TSDUGEJF";

#[test]
fn png_decodes_to_a_square_image() {
    let png = qr_png(CODE).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap();
    assert_eq!(image.width(), image.height());
    // 4 px per module, modules = 17 + 4·version, plus a 4-module quiet zone on each side.
    assert_eq!(image.width() % 4, 0);
    assert!(image.width() >= 4 * (21 + 8));
    let grey = image.to_luma8();
    assert_eq!(grey.get_pixel(0, 0).0, [255], "quiet zone is light");
    assert_eq!(grey.get_pixel(16, 16).0, [0], "finder pattern is dark");
    // A QR reader reads the same text back.
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        grey.get_pixel(x as u32, y as u32).0[0]
    });
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, text) = grids[0].decode().unwrap();
    assert_eq!(text, CODE);
}

#[test]
fn svg_is_an_svg_document() {
    let svg = qr_svg(CODE).unwrap();
    assert!(
        svg.starts_with("<?xml") || svg.starts_with("<svg"),
        "{}",
        &svg[..40]
    );
    assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
}

#[test]
fn too_long_text_is_an_error() {
    assert!(qr_svg(&"A".repeat(5000)).is_err());
    assert!(qr_png(&"A".repeat(5000)).is_err());
}
