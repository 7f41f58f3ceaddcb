-- Name search that ignores letter case, accents and the spelling variants of Arabic letters.
-- Immutable, so clinic tables can index a column generated from it.
-- migrate:up
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- lower-case; Latin accents removed (unaccent); Arabic: tashkeel and tatweel removed, the alef forms
-- (أ إ آ ٱ) read as ا, ta marbuta ة as ه, alef maqsura ى as ي, hamza on waw/ya (ؤ ئ) as و / ي;
-- runs of white space folded to one space.
CREATE FUNCTION public.clinic_search_text(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN regexp_replace(
    translate(
      regexp_replace(public.unaccent('public.unaccent'::regdictionary, lower(value)), '[\u064B-\u065F\u0670\u0640]', '', 'g'),
      'أإآٱةىؤئ', 'ااااهيوي'),
    '\s+', ' ', 'g');

-- migrate:down
DROP FUNCTION public.clinic_search_text(text);
DROP EXTENSION IF EXISTS unaccent;
