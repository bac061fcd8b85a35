-- The modular container catalog of seed 001: columns and rows exactly as the seed lists them
-- (image names use the arcx- prefix instead of codeopen-). JSON lives in TEXT columns, as in the seed.

CREATE TABLE resource_tiers (
    id                  TEXT PRIMARY KEY,
    name                TEXT    NOT NULL,
    description         TEXT    NOT NULL,
    cpu_limit           TEXT    NOT NULL,
    memory_limit        TEXT    NOT NULL,
    memory_reservation  TEXT    NOT NULL,
    storage_gb          INTEGER NOT NULL,
    monthly_price_cents INTEGER NOT NULL,
    is_default          INTEGER NOT NULL DEFAULT 0,
    sort_order          INTEGER NOT NULL
);

-- The seed gives no reservation: half the limit, so a host can overcommit idle workspaces safely.
INSERT INTO resource_tiers VALUES
 ('starter', 'Starter', 'Learning, scripts, small projects',   '1', '2Gi',  '1Gi', 20,  0,    1, 1),
 ('builder', 'Builder', 'Web development, typical projects',   '2', '4Gi',  '2Gi', 30,  1000, 0, 2),
 ('creator', 'Creator', 'Full-stack, multiple services',       '4', '8Gi',  '4Gi', 50,  2500, 0, 3),
 ('power',   'Power',   'Complex workloads, large codebases',  '8', '16Gi', '8Gi', 100, 5000, 0, 4);

CREATE TABLE container_flavors (
    id                TEXT PRIMARY KEY,
    name              TEXT    NOT NULL,
    description       TEXT    NOT NULL,
    base_image        TEXT    NOT NULL,
    languages         TEXT    NOT NULL,
    frameworks        TEXT    NOT NULL,
    tools             TEXT    NOT NULL,
    estimated_size_mb INTEGER NOT NULL,
    is_default        INTEGER NOT NULL DEFAULT 0,
    sort_order        INTEGER NOT NULL
);

INSERT INTO container_flavors VALUES
 ('js', 'JavaScript', 'Node.js 22 LTS with pnpm, yarn and npm', 'arcx-js',
  '["JavaScript","TypeScript"]', '["React","Vue","Next.js","Express","Fastify","Hono"]',
  '["pnpm","yarn","npm","esbuild","vite","tsx","turbo"]', 800, 0, 1),
 ('python', 'Python', 'Python 3.12 with pip, uv and poetry', 'arcx-python',
  '["Python"]', '["Django","Flask","FastAPI","PyTorch","TensorFlow","LangChain"]',
  '["pip","uv","poetry","ruff","jupyter","ipython"]', 1200, 0, 2),
 ('go', 'Go', 'Go 1.22 with gopls, golangci-lint, air and delve', 'arcx-go',
  '["Go"]', '["Gin","Echo","Fiber","Chi"]',
  '["gopls","golangci-lint","air","delve"]', 900, 0, 3),
 ('rust', 'Rust', 'Rust (latest stable via rustup) with cargo, clippy and rust-analyzer', 'arcx-rust',
  '["Rust"]', '["Actix-web","Axum","Tokio","Rocket"]',
  '["cargo","clippy","rustfmt","rust-analyzer","cargo-watch"]', 1100, 0, 4),
 ('fullstack', 'Full-Stack', 'Node.js 22 and Python 3.12 for full-stack work; the default flavor for new projects', 'arcx-fullstack',
  '["JavaScript","TypeScript","Python"]', '["React","Next.js","FastAPI","Django"]',
  '["pnpm","pip","uv"]', 1800, 1, 5),
 ('polyglot', 'Polyglot', 'Node.js 22, Python 3.12, Go 1.22 and Rust: maximum flexibility for multi-language projects', 'arcx-polyglot',
  '["JavaScript","TypeScript","Python","Go","Rust"]', '[]',
  '["Comprehensive tooling for all languages"]', 3000, 0, 6);

CREATE TABLE container_addons (
    id                  TEXT PRIMARY KEY,
    name                TEXT    NOT NULL,
    description         TEXT    NOT NULL,
    image_suffix        TEXT    NOT NULL,
    extra_cpu           TEXT    NOT NULL,
    extra_memory        TEXT    NOT NULL,
    extra_ports         TEXT    NOT NULL,
    extra_env           TEXT    NOT NULL,
    requires_tier       TEXT    REFERENCES resource_tiers (id),
    incompatible_with   TEXT    NOT NULL,
    monthly_price_cents INTEGER NOT NULL,
    sort_order          INTEGER NOT NULL
);

INSERT INTO container_addons VALUES
 ('gui', 'Desktop GUI', 'Browser-based visual desktop environment using KasmVNC', '-gui', '2', '4Gi', '[6080]',
  '{"DISPLAY":":1","KASMVNC_PORT":"6080","WIDTH":"1280","HEIGHT":"800"}', NULL, '[]', 1000, 1),
 ('code-server', 'Code Server', 'VS Code in the browser for visual code editing', '-code', '1', '2Gi', '[8080]',
  '{"CODE_SERVER_PORT":"8080","CODE_SERVER_AUTH":"none"}', NULL, '[]', 500, 2),
 ('gpu', 'GPU/CUDA', 'NVIDIA GPU support for machine learning workloads', '-gpu', '0', '0', '[]',
  '{"NVIDIA_VISIBLE_DEVICES":"all","NVIDIA_DRIVER_CAPABILITIES":"compute,utility"}', 'creator', '[]', 3000, 3),
 ('databases', 'Database Tools', 'Database clients and management tools', '-db', '0', '1Gi', '[]',
  '{}', NULL, '[]', 500, 4),
 ('cloud', 'Cloud CLIs', 'Cloud provider command-line tools', '-cloud', '0', '512Mi', '[]',
  '{}', NULL, '[]', 0, 5);
