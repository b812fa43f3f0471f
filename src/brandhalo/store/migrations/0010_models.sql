-- Sentiment models taught on a workspace's labels (owned by brandhalo.text.sentiment.workspace_model).
-- The model file lives under models/sentiment/<model_id>.npz; brandhalo.toml [sentiment] points at
-- the one in use, and every enriched post records it in `enriched.engine` as "<engine>@<model_id>".
CREATE TABLE IF NOT EXISTS sentiment_models (
    model_id     VARCHAR PRIMARY KEY,
    created_at   TIMESTAMP DEFAULT current_timestamp,
    engine       VARCHAR NOT NULL,           -- engine that uses it (hybrid)
    path         VARCHAR NOT NULL,           -- model file, relative to the workspace
    base         VARCHAR,                    -- what it was adapted from
    rows         INTEGER,                    -- labelled rows it learned from
    class_counts VARCHAR,                    -- JSON {negative: n, neutral: n, positive: n}
    before       VARCHAR,                    -- JSON cross-validated scores of the general model
    after        VARCHAR,                    -- JSON cross-validated scores of this model
    label_source VARCHAR                     -- "workspace" or the labels file
);

-- When a label was given (the dashboard's labelling page sets it; a later label of a post wins).
ALTER TABLE labels ADD COLUMN IF NOT EXISTS labelled_at TIMESTAMP;
