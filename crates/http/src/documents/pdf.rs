//! A small text-only PDF writer on top of `pdf-writer`: A4 pages, the standard Helvetica fonts
//! (no font embedding), headings, labelled fields and wrapped paragraphs.

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const BODY_SIZE: f32 = 10.0;
const HEADING_SIZE: f32 = 13.0;
const TITLE_SIZE: f32 = 17.0;
/// Characters per line at the body size (Helvetica averages about half an em per character).
const WRAP_AT: usize = 92;

struct Line {
    text: String,
    size: f32,
    bold: bool,
    indent: f32,
}

/// A document being laid out: lines, then pages when finished.
pub struct TextDocument {
    lines: Vec<Line>,
}

impl TextDocument {
    pub fn new(title: &str) -> Self {
        let mut document = Self { lines: Vec::new() };
        document.push(title, TITLE_SIZE, true, 0.0);
        document
    }

    fn push(&mut self, text: &str, size: f32, bold: bool, indent: f32) {
        self.lines.push(Line { text: text.to_owned(), size, bold, indent });
    }

    pub fn heading(&mut self, text: &str) {
        self.blank();
        self.push(text, HEADING_SIZE, true, 0.0);
    }

    pub fn blank(&mut self) {
        self.push("", BODY_SIZE, false, 0.0);
    }

    /// `label: value`, wrapped, continuation lines indented.
    pub fn field(&mut self, label: &str, value: impl std::fmt::Display) {
        let text = format!("{label}: {value}");
        for (index, line) in wrap(&text, WRAP_AT).into_iter().enumerate() {
            self.push(&line, BODY_SIZE, false, if index == 0 { 0.0 } else { 18.0 });
        }
    }

    pub fn paragraph(&mut self, text: &str) {
        for line in wrap(text, WRAP_AT) {
            self.push(&line, BODY_SIZE, false, 0.0);
        }
    }

    /// The PDF bytes.
    pub fn finish(self) -> Vec<u8> {
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let (regular_name, bold_name) = (Name(b"F1"), Name(b"F2"));

        // Lay the lines out on pages.
        let mut pages: Vec<Vec<(f32, &Line)>> = vec![Vec::new()];
        let mut y = PAGE_HEIGHT - MARGIN;
        for line in &self.lines {
            let height = line.size * 1.45;
            if y - height < MARGIN {
                pages.push(Vec::new());
                y = PAGE_HEIGHT - MARGIN;
            }
            y -= height;
            if let Some(page) = pages.last_mut() {
                page.push((y, line));
            }
        }

        let mut pdf = Pdf::new();
        let page_ids: Vec<Ref> = (0..pages.len()).map(|n| Ref::new(5 + 2 * n as i32)).collect();
        pdf.catalog(catalog).pages(tree);
        let count = page_ids.len() as i32;
        pdf.pages(tree).kids(page_ids.iter().copied()).count(count);
        for (index, lines) in pages.iter().enumerate() {
            let page_id = page_ids[index];
            let content_id = Ref::new(page_id.get() + 1);
            let mut page = pdf.page(page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).parent(tree).contents(content_id);
            let mut resources = page.resources();
            let mut fonts = resources.fonts();
            fonts.pair(regular_name, regular);
            fonts.pair(bold_name, bold);
            drop(fonts);
            drop(resources);
            drop(page);

            let mut content = Content::new();
            for (y, line) in lines {
                if line.text.is_empty() {
                    continue;
                }
                let font = if line.bold { bold_name } else { regular_name };
                let text = win_ansi(&line.text);
                content.begin_text();
                content.set_font(font, line.size);
                content.next_line(MARGIN + line.indent, *y);
                content.show(Str(&text));
                content.end_text();
            }
            pdf.stream(content_id, &content.finish());
        }
        pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.finish()
    }
}

/// Text in the fonts' encoding: ASCII and Latin-1 letters as themselves (WinAnsi matches Latin-1
/// from 0xA0), anything else as `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match u32::from(c) {
            code @ 0x20..=0x7E | code @ 0xA0..=0xFF => code as u8,
            0x2013 | 0x2014 => b'-',
            0x2018 | 0x2019 => b'\'',
            0x201C | 0x201D => b'"',
            _ => b'?',
        })
        .collect()
}

/// Splits text into lines of at most `width` characters at spaces (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word = word.to_owned();
            while word.chars().count() > width {
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                lines.push(head);
            }
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_at_spaces() {
        let lines = wrap("one two three four five", 9);
        assert_eq!(lines, ["one two", "three", "four five"]);
        assert_eq!(wrap("abcdefghijk", 4), ["abcd", "efgh", "ijk"]);
    }

    #[test]
    fn text_is_encoded_for_the_standard_fonts() {
        assert_eq!(win_ansi("£5 – café ✓"), b"\xA35 - caf\xE9 ?".to_vec());
    }

    #[test]
    fn a_document_is_a_pdf_with_as_many_pages_as_it_needs() {
        let mut document = TextDocument::new("Test");
        for n in 0..200 {
            document.field("Line", n);
        }
        let bytes = document.finish();
        assert!(bytes.starts_with(b"%PDF-"));
        // About fifty lines a page: two hundred need four or five pages.
        let pages = String::from_utf8_lossy(&bytes).matches("/MediaBox").count();
        assert!((4..=5).contains(&pages), "{pages} pages");
    }
}
