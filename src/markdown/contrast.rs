//! WCAG contrast for the highlighting stylesheet: syntect themes were not made for WCAG AA (the
//! default light theme's comments are 2.7:1 on the code background), so every token colour is
//! nudged towards black or white until it reads at 4.5:1, keeping its hue.

/// WCAG AA for normal text.
pub const MIN_RATIO: f64 = 4.5;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rgb`, `#rrggbb` or `#rrggbbaa` (the alpha is ignored); `None` for anything else.
    pub fn parse(hex: &str) -> Option<Rgb> {
        let hex = hex.strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        match hex.len() {
            3 => {
                let nibble = |i: usize| {
                    u8::from_str_radix(hex.get(i..i + 1)?, 16)
                        .ok()
                        .map(|n| n * 17)
                };
                Some(Rgb(nibble(0)?, nibble(1)?, nibble(2)?))
            }
            6 | 8 => Some(Rgb(byte(0)?, byte(2)?, byte(4)?)),
            _ => None,
        }
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance as WCAG 2 defines it.
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// `self` moved `t` (0–1) of the way to `other`.
    fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// The WCAG contrast ratio of two colours (1 to 21).
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` itself when it reads on `bg` at [`MIN_RATIO`], else the closest colour on the way to
/// black or white (whichever contrasts more with `bg`) that does.
pub fn readable(fg: Rgb, bg: Rgb) -> Rgb {
    if ratio(fg, bg) >= MIN_RATIO {
        return fg;
    }
    let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
    let target = if ratio(black, bg) > ratio(white, bg) {
        black
    } else {
        white
    };
    (1..=50)
        .map(|step| fg.mix(target, f64::from(step) / 50.0))
        .find(|c| ratio(*c, bg) >= MIN_RATIO)
        .unwrap_or(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_match_wcag_figures() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((ratio(black, white) - 21.0).abs() < 1e-9);
        // InspiredGitHub's comments on the light code background, as axe-core measured them.
        let r = ratio(
            Rgb::parse("#969896").unwrap(),
            Rgb::parse("#f6f8fa").unwrap(),
        );
        assert!((r - 2.72).abs() < 0.01, "{r}");
    }

    #[test]
    fn faint_colours_are_darkened_or_lightened_and_good_ones_kept() {
        let light_bg = Rgb::parse("#f6f8fa").unwrap();
        let dark_bg = Rgb::parse("#161b23").unwrap();
        let comment = Rgb::parse("#969896").unwrap();
        let fixed = readable(comment, light_bg);
        assert!(ratio(fixed, light_bg) >= MIN_RATIO);
        assert!(
            fixed.0 < comment.0,
            "darker on a light background: {fixed:?}"
        );
        let dark_comment = Rgb::parse("#5c6370").unwrap();
        let fixed = readable(dark_comment, dark_bg);
        assert!(ratio(fixed, dark_bg) >= MIN_RATIO);
        assert!(
            fixed.0 > dark_comment.0,
            "lighter on a dark background: {fixed:?}"
        );
        let fine = Rgb::parse("#24292f").unwrap();
        assert_eq!(readable(fine, light_bg), fine);
    }

    #[test]
    fn parses_the_forms_syntect_writes() {
        assert_eq!(Rgb::parse("#0086b3"), Some(Rgb(0, 0x86, 0xb3)));
        assert_eq!(Rgb::parse("#0086b3ff"), Some(Rgb(0, 0x86, 0xb3)));
        assert_eq!(Rgb::parse("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(Rgb::parse("red"), None);
        assert_eq!(Rgb(1, 2, 255).hex(), "#0102ff");
    }
}
