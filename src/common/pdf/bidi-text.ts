import bidiFactory from 'bidi-js';

const bidi = bidiFactory();

/** A piece of a line, in the order it is drawn left to right; `text` is what the shaper gets. */
export interface VisualRun {
  readonly text: string;
  readonly rtl: boolean;
}

export interface VisualLine {
  readonly runs: VisualRun[];
  /** The paragraph's own direction: an Arabic line is set flush right. */
  readonly rtl: boolean;
}

const ARABIC_LETTER = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

/**
 * One line of text laid out for a PDF: the Unicode bidi algorithm (bidi-js) gives each character its
 * embedding level, runs of one level are put in visual order (rule L2), and mirrored brackets are
 * swapped in right-to-left runs. pdfkit does not reorder; its shaper (fontkit) joins Arabic letters
 * and reverses a run it sees as Arabic, so an RTL run that contains Arabic letters is handed over in
 * logical order and any other RTL run (neutrals between Arabic words) is reversed here.
 */
export function visualLine(text: string): VisualLine {
  const { levels, paragraphs } = bidi.getEmbeddingLevels(text, 'auto');
  const baseLevel = paragraphs[0]?.level ?? 0;
  const mirrored = bidi.getMirroredCharactersMap(text, levels);
  // UTF-16 units, as bidi-js counts them (every Arabic letter is in the BMP).
  const units = text.split('');
  const runs: { text: string; level: number }[] = [];
  for (let i = 0; i < units.length; i++) {
    const ch = mirrored.get(i) ?? units[i];
    const last = runs[runs.length - 1];
    if (last && last.level === levels[i]) last.text += ch;
    else runs.push({ text: ch, level: levels[i] });
  }
  // Rule L2: from the highest level down to the lowest odd one, reverse every sequence of runs at that level or higher.
  const highest = Math.max(baseLevel, ...runs.map((r) => r.level));
  const lowestOdd = Math.min(...runs.map((r) => r.level).filter((l) => l % 2 === 1), highest + 1);
  for (let level = highest; level >= lowestOdd && level > 0; level--) {
    for (let i = 0; i < runs.length; i++) {
      if (runs[i].level < level) continue;
      let j = i;
      while (j + 1 < runs.length && runs[j + 1].level >= level) j++;
      runs.splice(i, j - i + 1, ...runs.slice(i, j + 1).reverse());
      i = j;
    }
  }
  return {
    rtl: baseLevel % 2 === 1,
    runs: runs.map((r) => {
      const rtl = r.level % 2 === 1;
      const text = rtl && !ARABIC_LETTER.test(r.text) ? [...r.text].reverse().join('') : r.text;
      return { text, rtl };
    }),
  };
}
