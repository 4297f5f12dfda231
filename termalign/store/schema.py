"""The termbase schema as forward migrations. Never edit a released step: append one.

``PRAGMA user_version`` holds the schema version, ``PRAGMA application_id`` marks the file
as a termalign store. Each step runs in one transaction with the version bump.
"""

from __future__ import annotations

APPLICATION_ID = 0x54524D41  # "TRMA"

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            title TEXT,
            url TEXT,
            lang TEXT,
            sha256 TEXT NOT NULL,
            text TEXT NOT NULL,
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE residue (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            reason TEXT NOT NULL
        );
        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            lang TEXT NOT NULL
        );
        CREATE INDEX sentences_document ON sentences(document_id);
        CREATE TABLE tokens (
            id INTEGER PRIMARY KEY,
            sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            key TEXT NOT NULL,
            kind TEXT NOT NULL
        );
        CREATE INDEX tokens_sentence ON tokens(sentence_id);
        CREATE INDEX residue_document ON residue(document_id);
        """,
    ),
    (
        2,
        """
        CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            lang TEXT NOT NULL,
            key TEXT NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            n_words INTEGER NOT NULL,
            freq INTEGER NOT NULL,
            doc_freq INTEGER NOT NULL,
            cvalue REAL NOT NULL,
            specificity REAL NOT NULL,
            unithood REAL NOT NULL,
            termhood REAL NOT NULL,
            rank INTEGER NOT NULL,
            UNIQUE (lang, key)
        );
        CREATE INDEX candidates_rank ON candidates(lang, rank);
        CREATE TABLE variants (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            freq INTEGER NOT NULL,
            UNIQUE (candidate_id, text)
        );
        CREATE TABLE occurrences (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
            sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX occurrences_candidate ON occurrences(candidate_id);
        CREATE INDEX variants_candidate ON variants(candidate_id);
        """,
    ),
    (
        3,
        """
        CREATE TABLE concepts (
            id INTEGER PRIMARY KEY,
            status TEXT NOT NULL DEFAULT 'unreviewed'
                CHECK (status IN ('unreviewed', 'approved', 'rejected')),
            score REAL NOT NULL DEFAULT 0,
            subject_field TEXT,
            origin TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT
        );
        CREATE INDEX concepts_status ON concepts(status, score);
        CREATE TABLE terms (
            id INTEGER PRIMARY KEY,
            concept_id INTEGER NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            text TEXT NOT NULL,
            key TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'admitted'
                CHECK (status IN ('preferred', 'admitted', 'deprecated')),
            pos TEXT,
            source TEXT,
            UNIQUE (concept_id, lang, key)
        );
        CREATE INDEX terms_concept ON terms(concept_id);
        CREATE INDEX terms_key ON terms(lang, key);
        CREATE TABLE term_contexts (
            id INTEGER PRIMARY KEY,
            term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            source TEXT
        );
        CREATE INDEX term_contexts_term ON term_contexts(term_id);
        CREATE TABLE evidence (
            id INTEGER PRIMARY KEY,
            concept_id INTEGER NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
            signal TEXT NOT NULL,
            score REAL NOT NULL,
            lang_a TEXT,
            lang_b TEXT,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX evidence_concept ON evidence(concept_id);
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            concept_id INTEGER NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
            author TEXT,
            created_at TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX notes_concept ON notes(concept_id);
        CREATE TABLE mt_suggestions (
            id INTEGER PRIMARY KEY,
            concept_id INTEGER NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
            src_lang TEXT NOT NULL,
            tgt_lang TEXT NOT NULL,
            source_text TEXT NOT NULL,
            text TEXT NOT NULL,
            score REAL,
            model TEXT NOT NULL
        );
        CREATE INDEX mt_suggestions_concept ON mt_suggestions(concept_id);
        -- Append-only: concept_id has no foreign key so the log outlives merged concepts.
        CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            concept_id INTEGER,
            reviewer TEXT NOT NULL,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX review_log_concept ON review_log(concept_id);
        CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END;
        CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
            BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END;
        CREATE TABLE reviewer_state (
            reviewer TEXT PRIMARY KEY,
            concept_id INTEGER,
            filters TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL
        );
        """,
    ),
    (
        4,
        """
        -- Coarse part of speech (NOUN, VERB, ADJ, OTHER) from the language's tagger.
        ALTER TABLE tokens ADD COLUMN pos TEXT;
        """,
    ),
    (
        5,
        """
        -- The review table lists proposals by score: first screen on 100 000 concepts.
        CREATE INDEX concepts_score ON concepts(score DESC, id);
        """,
    ),
    (
        6,
        """
        -- Whether known words (the lexicon) read the candidate entirely: a termhood part.
        ALTER TABLE candidates ADD COLUMN lexicon INTEGER NOT NULL DEFAULT 0;
        """,
    ),
    (
        7,
        """
        -- Concept numbers are never handed out twice: a reviewer holding concept 10 must not
        -- act on a new proposal that took its number after a re-alignment.
        INSERT OR REPLACE INTO meta (key, value) VALUES ('concept_id_high', (
            SELECT max(
                coalesce((SELECT max(id) FROM concepts), 0), coalesce((SELECT max(concept_id) FROM review_log), 0)
            )
        ));
        CREATE TRIGGER concepts_id_high AFTER INSERT ON concepts BEGIN
            UPDATE meta SET value = max(CAST(value AS INTEGER), NEW.id) WHERE key = 'concept_id_high';
        END;
        """,
    ),
    (
        8,
        """
        -- Suggestions: composed or machine-translated terms no text attests, kept apart from
        -- the (attested) terms until a reviewer accepts one into its concept.
        CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
            concept_id INTEGER NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
            lang TEXT NOT NULL,
            text TEXT NOT NULL,
            key TEXT NOT NULL,
            origin TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            UNIQUE (concept_id, lang, key)
        );
        CREATE INDEX suggestions_concept ON suggestions(concept_id);
        -- Composed terms of proposals no reviewer has touched become suggestions.
        INSERT INTO suggestions (concept_id, lang, text, key, origin, detail, created_at)
            SELECT t.concept_id, t.lang, t.text, t.key, 'compositional', '{}', c.created_at
            FROM terms t JOIN concepts c ON c.id = t.concept_id
            WHERE t.source = 'compositional' AND c.status = 'unreviewed' AND c.version = 1;
        DELETE FROM terms WHERE source = 'compositional'
            AND concept_id IN (SELECT id FROM concepts WHERE status = 'unreviewed' AND version = 1);
        """,
    ),
    (
        9,
        """
        -- Live updates. PostgreSQL's step notifies listeners of changed concepts; a SQLite
        -- reader needs nothing stored: it polls PRAGMA data_version, which moves when another
        -- connection commits, and then reads the review log (termalign/store/changes.py).
        """,
    ),
    (
        10,
        """
        -- Team settings: choices a team makes once for its termbase (termalign/store/settings.py),
        -- with who set them and when. On PostgreSQL only the admin role writes them.
        CREATE TABLE team_settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            set_by TEXT NOT NULL,
            set_at TEXT NOT NULL
        );
        """,
    ),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]
