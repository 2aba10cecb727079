//! The command line as typed: raw values only. Checking and combining them
//! with the environment and config files happens in [`crate::config`]. The
//! value enums belong to the modules that use them and are re-exported here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::batch::input::InputFormat;
pub use crate::grade::backend::BackendChoice;
pub use crate::grade::llm::EvidencePolicy;
pub use crate::report::ColorChoice;

/// Grade answers to technical interview questions against rubrics of key points.
#[derive(Debug, Parser)]
#[command(name = "viva", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use the bank in DIR (with questions/ and rubrics/) instead of the embedded one.
    #[arg(long, global = true, env = "VIVA_BANK", value_name = "DIR")]
    pub bank: Option<PathBuf>,
    /// When to colour terminal output (NO_COLOR is honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only results: no progress, no notes on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade one answer to one question.
    #[command(
        after_help = "Examples:\n  viva grade gil-what-it-protects answer.txt\n  echo 'The GIL is a lock...' | viva grade gil-what-it-protects -\n  viva grade gil-what-it-protects talk.srt --format json\n  viva grade gil-what-it-protects answer.m4a --show-transcript --stt-url http://127.0.0.1:8098/v1\n  OPENAI_BASE_URL=http://127.0.0.1:8080/v1 viva grade gil-what-it-protects answer.md --backend llm"
    )]
    Grade(GradeArgs),
    /// List the questions in the bank.
    #[command(
        after_help = "Examples:\n  viva questions --topic concurrency --level senior\n  viva questions --search 'gil threads'\n  viva questions --format json"
    )]
    Questions(QuestionsArgs),
    /// Show a question and its rubric.
    #[command(
        after_help = "Examples:\n  viva show gil-what-it-protects\n  viva show gil-what-it-protects --format json"
    )]
    Show(ShowArgs),
    /// Check and test rubrics.
    #[command(
        subcommand,
        after_help = "Examples:\n  viva rubric lint --bank my-bank\n  viva rubric lint --format json\n  viva rubric test gil-what-it-protects -v\n  viva rubric test --format json"
    )]
    Rubric(RubricCommand),
    /// Print the exact request the LLM grader would send (without the API key).
    #[command(
        after_help = "Examples:\n  viva prompt gil-what-it-protects answer.txt\n  viva prompt gil-what-it-protects answer.txt --prompts my-prompts/"
    )]
    Prompt(PromptArgs),
    /// Print the resolved LLM configuration and where each value came from.
    #[command(
        after_help = "Examples:\n  viva config\n  OPENAI_BASE_URL=http://127.0.0.1:8080/v1 viva config --model qwen2.5\n  viva config --format json"
    )]
    Config(ConfigArgs),
    /// Grade many answers (CSV, JSONL or a folder) into a resumable journal.
    #[command(
        after_help = "Examples:\n  viva batch answers.csv                       # journal: answers.csv.journal.jsonl\n  viva batch answers.csv --delimiter ';' --columns candidate=Name,question_id=Question,answer=Reply\n  viva batch submissions/ -j 16 --rpm 500\n  viva batch recordings.csv --stt-url http://127.0.0.1:8098/v1 --stt-jobs 2\n  viva batch answers.csv --retry-failed       # after an outage\n  viva batch answers.csv -q --summary-format json | jq .graded"
    )]
    Batch(BatchArgs),
    /// Summarise a batch journal: rankings, question statistics, flagged answers.
    #[command(
        after_help = "Examples:\n  viva report answers.csv.journal.jsonl\n  viva report answers.csv.journal.jsonl -f html -o report.html\n  viva report answers.csv.journal.jsonl -f csv --missing skip > scores.csv"
    )]
    Report(ReportArgs),
    /// Measure how closely a batch journal's scores agree with human graders' scores.
    #[command(
        after_help = "Answers are matched on candidate and question_id, the key a journal line keeps from its batch input row.\n\nExamples:\n  viva agree answers.csv.journal.jsonl scores.csv --scale 0-5\n  viva agree run.jsonl scores.csv --scale 0-5 --human grader1 --human grader2 -f markdown\n  viva agree test.jsonl scores.csv --scale 0-5 --fit dev.jsonl --save-calibration cal.json\n  viva agree next.jsonl scores.csv --scale 0-5 --calibration cal.json"
    )]
    Agree(AgreeArgs),
    /// Practise: answer questions and get feedback at once.
    Practice(PracticeArgs),
    /// Per-topic mastery from your practice history.
    #[command(
        after_help = "Examples:\n  viva progress\n  viva progress --since 2026-01-01 --format json\n  viva progress --question gil-what-it-protects"
    )]
    Progress(ProgressArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  viva completions bash > ~/.local/share/bash-completion/completions/viva\n  viva completions zsh > ~/.zfunc/_viva\n  viva completions fish > ~/.config/fish/completions/viva.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `viva man > viva.1`.
    #[command(
        after_help = "Examples:\n  viva man | man -l -\n  viva man > ~/.local/share/man/man1/viva.1"
    )]
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// CSV or JSONL file (columns candidate, question_id, answer, answer_file or audio), or a
    /// folder laid out as DIR/<candidate>/<question_id>.(md|txt|srt|vtt|wav|mp3|m4a|ogg|flac|webm).
    pub input: PathBuf,
    /// Input format; detected from the extension (or a folder) when omitted.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// CSV delimiter: one character, or `tab` (default: sniffed from the header line,
    /// the most frequent of `,` `;` and tab).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Which header names hold which field, e.g. `candidate=Name,question_id=Q,answer=Reply`
    /// (fields: candidate, question_id, answer, answer_file, audio). Without it, headers are matched
    /// case-insensitively, also as name, question, response.
    #[arg(long, value_name = "FIELD=HEADER,...")]
    pub columns: Option<String>,
    /// Answers graded at once (keyword grading: at most one thread per core).
    #[arg(short = 'j', long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: u32,
    /// Requests per minute, across all workers (default: unlimited; 0 also means unlimited).
    #[arg(long, value_name = "N")]
    pub rpm: Option<u32>,
    /// Tokens per minute, across all workers, estimated before and settled after each request
    /// (default: unlimited; 0 also means unlimited).
    #[arg(long, value_name = "N")]
    pub tpm: Option<u32>,
    /// Journal file (default: INPUT.journal.jsonl next to the input, e.g.
    /// answers.csv.journal.jsonl).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Write into a journal that holds answers from another input file (normally refused,
    /// so two inputs never mix their grades in one journal).
    #[arg(long)]
    pub allow_other_input: bool,
    /// File for rows that could not be read (default: the journal path with .errors.jsonl).
    #[arg(long)]
    pub errors: Option<PathBuf>,
    /// Grade again the answers whose journal entry failed.
    #[arg(long)]
    pub retry_failed: bool,
    /// Keep journal entries graded with other settings (model, evidence policy, rubric...)
    /// instead of grading them again; a changed answer is still graded.
    #[arg(long)]
    pub keep_stale: bool,
    /// Stop starting answers after N answers in a row failed at the endpoint, keeping the
    /// journal for a resume (0: never stop).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_consecutive_failures: u32,
    /// Retries allowed in the whole run, across all answers (default: 10 plus a fifth of the
    /// requests sent, so a failing endpoint cannot multiply the load).
    #[arg(long, value_name = "N")]
    pub retry_budget: Option<u64>,
    /// Grade only slice I of N (e.g. 2/4), chosen by a hash of candidate and question.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Write the requests in OpenAI Batch API JSONL form to FILE instead of grading.
    #[arg(long, value_name = "FILE", conflicts_with = "import_responses")]
    pub export_requests: Option<PathBuf>,
    /// Read OpenAI Batch API output from FILE, validate it and write the journal.
    #[arg(long, value_name = "FILE")]
    pub import_responses: Option<PathBuf>,
    /// Format of the summary printed at the end: `text` on stderr, or `json`: one
    /// `viva.batch-summary/v1` document on stdout (also with --quiet). Progress stays on
    /// stderr. (`--input-format` is the input's format.)
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ListFormat::Text)]
    pub summary_format: ListFormat,
    /// Keep answers out of the journal: record only each answer's SHA-256 and the quotes the
    /// grader took from it, not its text (reports then cannot show the answer). Lines already
    /// in the journal keep what they hold.
    #[arg(long)]
    pub no_answer_text: bool,
    /// Recordings transcribed at once (default: the same as -j).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub stt_jobs: Option<u32>,
    #[command(flatten)]
    pub llm: LlmArgs,
    #[command(flatten)]
    pub stt: SttArgs,
}

/// `--delimiter`: one ASCII character, or `tab`.
fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" => Ok(s.as_bytes()[0]),
        _ => Err("use one character such as `;` or `,`, or `tab`".into()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchReportFormat {
    Text,
    Markdown,
    Csv,
    Json,
    Html,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A journal written by `viva batch` (it may still be growing).
    pub journal: PathBuf,
    #[arg(long, short, value_enum, default_value_t = BatchReportFormat::Text)]
    pub format: BatchReportFormat,
    /// Write to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How questions a candidate did not answer count in the ranking: `zero` scores them 0%,
    /// `skip` averages only the graded answers.
    #[arg(long, value_enum, default_value_t = crate::report::batch::MissingPolicy::Zero)]
    pub missing: crate::report::batch::MissingPolicy,
    /// The run's errors file, whose bad rows the report lists (default: the one beside the
    /// journal, e.g. answers.csv.errors.jsonl; ignored when absent).
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// A journal written by `viva batch`: viva's scores.
    pub journal: PathBuf,
    /// CSV of human scores: candidate, question_id and one column per grader.
    pub humans: PathBuf,
    /// The human scale, whole numbers LOW-HIGH, e.g. 0-5.
    #[arg(long, value_name = "LOW-HIGH", value_parser = clap::value_parser!(crate::agree::Scale))]
    pub scale: crate::agree::Scale,
    /// A column of human scores (repeat for each grader). Default: columns named score,
    /// human, grade, rating, or grader1, grader2, rater1...
    #[arg(long, value_name = "COLUMN")]
    pub human: Vec<String>,
    /// Which columns of the human CSV hold the key, e.g. `candidate=Name,question_id=Q`
    /// (default: matched like `viva batch` headers).
    #[arg(long, value_name = "FIELD=HEADER,...")]
    pub columns: Option<String>,
    /// CSV delimiter of the human file: one character, or `tab` (default: sniffed).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Bootstrap resamples for the 95% intervals (0: no intervals).
    #[arg(long, value_name = "N", default_value_t = crate::agree::bootstrap::DEFAULT_RESAMPLES)]
    pub resamples: usize,
    /// Seed of the bootstrap's random numbers; the same seed gives the same intervals.
    #[arg(long, value_name = "N", default_value_t = crate::agree::bootstrap::DEFAULT_SEED)]
    pub seed: u64,
    /// Fit a calibration from viva's fraction to the human scale on the answers of this
    /// other journal, then score JOURNAL with it (never the same answers).
    #[arg(long, value_name = "DEV_JOURNAL", conflicts_with = "calibration")]
    pub fit: Option<PathBuf>,
    /// The calibration to fit with --fit.
    #[arg(long, value_enum, default_value_t = crate::agree::calibrate::Method::Isotonic, requires = "fit")]
    pub method: crate::agree::calibrate::Method,
    /// Write the calibration fitted with --fit to FILE (viva.calibration/v1 JSON).
    #[arg(long, value_name = "FILE", requires = "fit")]
    pub save_calibration: Option<PathBuf>,
    /// Apply a calibration saved with --save-calibration instead of the linear mapping.
    #[arg(long, value_name = "FILE")]
    pub calibration: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Typed answers end with an empty line. Ctrl-D or Ctrl-C at any prompt \
quits, keeping every attempt already graded.\n\nExamples:\n  viva practice\n  viva practice --topic memory --editor --reveal\n  viva practice --question gil-what-it-protects --answer-file answer.txt\n  VIVA_RECORD_CMD='rec -q -c 1 -r 16000 {file}' viva practice --record"
)]
pub struct PracticeArgs {
    /// Only questions of this topic, in any case.
    #[arg(long)]
    pub topic: Option<String>,
    /// Only questions of this level.
    #[arg(long)]
    pub level: Option<String>,
    /// Practise this question.
    #[arg(long)]
    pub question: Option<String>,
    /// Write answers in $EDITOR (VISUAL, then EDITOR) instead of typing them in the terminal.
    #[arg(long)]
    pub editor: bool,
    /// Grade this answer file (text, a transcript or a recording) for the first question
    /// instead of asking.
    #[arg(long, value_name = "FILE")]
    pub answer_file: Option<PathBuf>,
    /// Answer out loud: run the recorder (VIVA_RECORD_CMD, else `rec` from sox, else
    /// `arecord`) until Enter, then transcribe and grade the recording.
    #[arg(long, conflicts_with_all = ["answer_file", "editor"])]
    pub record: bool,
    /// Show the rubric's strong example answer after grading.
    #[arg(long)]
    pub reveal: bool,
    /// History file (default: practice.jsonl in the user data dir).
    #[arg(long, value_name = "FILE", env = "VIVA_HISTORY")]
    pub history: Option<PathBuf>,
    /// Seed for question choice, for repeatable sessions (with the same history and VIVA_NOW).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Only questions due for review (spaced repetition over your history).
    #[arg(long, conflicts_with_all = ["question", "mock"])]
    pub due: bool,
    /// A timed mock interview of this length (e.g. 30m, 1h): mixed topics, follow-ups,
    /// scores only in the summary at the end. Answer `q` to end it early.
    #[arg(long, value_name = "DURATION", value_parser = crate::practice::clock::parse_duration,
          conflicts_with_all = ["answer_file", "reveal"])]
    pub mock: Option<std::time::Duration>,
    /// With --mock: also write the summary as markdown to this file.
    #[arg(long, value_name = "FILE", requires = "mock")]
    pub summary_out: Option<PathBuf>,
    #[command(flatten)]
    pub llm: LlmArgs,
    #[command(flatten)]
    pub stt: SttArgs,
}

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// History file (default: practice.jsonl in the user data dir).
    #[arg(long, value_name = "FILE", env = "VIVA_HISTORY")]
    pub history: Option<PathBuf>,
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Only attempts on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Compare this question's attempts side by side: scores, points gained and lost, and
    /// the answers.
    #[arg(long, value_name = "ID")]
    pub question: Option<String>,
}

#[derive(Debug, Args)]
pub struct PromptArgs {
    /// Question id, e.g. `gil-what-it-protects` (see `viva questions`).
    pub question: String,
    /// Answer file, or `-` for stdin. For a recording, the transcription request is printed
    /// too (without uploading it).
    pub answer: Option<PathBuf>,
    #[command(flatten)]
    pub llm: LlmArgs,
    #[command(flatten)]
    pub stt: SttArgs,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Output format: `json` is one `viva.config/v1` document that says whether a key is
    /// set and where from, never the key.
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub llm: LlmArgs,
    #[command(flatten)]
    pub stt: SttArgs,
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Question id, e.g. `gil-what-it-protects` (see `viva questions`).
    pub question: String,
    /// Answer file (.txt, .md, .srt, .vtt, or a recording: wav, mp3, m4a, ogg, flac, webm),
    /// or `-` for stdin. Reads stdin when omitted and piped.
    pub answer: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Print a recording's transcript, with its timings, in the text report.
    #[arg(long)]
    pub show_transcript: bool,
    /// Write a recording's transcript to FILE: .srt or .vtt subtitles, or plain text.
    #[arg(long, value_name = "FILE")]
    pub transcript_out: Option<PathBuf>,
    #[command(flatten)]
    pub llm: LlmArgs,
    #[command(flatten)]
    pub stt: SttArgs,
}

/// Options of the transcription endpoint used for recorded answers (also read from env and
/// config files).
#[derive(Debug, Args, Default, Clone)]
#[command(next_help_heading = "Transcription (recorded answers)")]
pub struct SttArgs {
    /// OpenAI-compatible transcription base URL (env VIVA_STT_BASE_URL; default: the LLM
    /// base URL), e.g. http://127.0.0.1:8098/v1.
    #[arg(long, value_name = "URL")]
    pub stt_url: Option<String>,
    /// Transcription model (env VIVA_STT_MODEL; default whisper-1).
    #[arg(long, value_name = "MODEL")]
    pub stt_model: Option<String>,
    /// Language of the recordings, ISO-639-1 such as `en` (env VIVA_STT_LANGUAGE; default:
    /// detected by the endpoint).
    #[arg(long, value_name = "CODE")]
    pub stt_language: Option<String>,
    /// Do not send the question's technical terms as the transcriber's prompt.
    #[arg(long)]
    pub no_stt_prompt: bool,
    /// Largest recording uploaded, in MiB (env VIVA_STT_MAX_MB; default 25, OpenAI's limit).
    #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..))]
    pub stt_max_mb: Option<u64>,
}

/// Options of the LLM grader (also read from env and config files).
#[derive(Debug, Args, Default, Clone)]
pub struct LlmArgs {
    /// Which grader to use.
    #[arg(long, value_enum, env = "VIVA_BACKEND", default_value_t = BackendChoice::Auto)]
    pub backend: BackendChoice,
    /// OpenAI-compatible base URL (env OPENAI_BASE_URL), e.g. http://127.0.0.1:8080/v1.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Model name (env VIVA_MODEL).
    #[arg(long)]
    pub model: Option<String>,
    /// Sampling temperature (default 0).
    #[arg(long)]
    pub temperature: Option<f64>,
    /// Sampling seed sent to the endpoint, for servers that honour it (env VIVA_SEED).
    #[arg(id = "llm_seed", long = "llm-seed", value_name = "N")]
    pub seed: Option<i64>,
    /// Token limit of one verdict (default 4096; doubled once when a verdict is cut off).
    #[arg(long)]
    pub max_tokens: Option<u32>,
    /// Request timeout in seconds (default 120).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Attempts per request for transient failures (default 4).
    #[arg(long)]
    pub max_attempts: Option<u32>,
    /// Independent verdicts per answer; the score is the median of their totals.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=15))]
    pub samples: u32,
    /// What to do with credit whose quoted evidence is not in the answer.
    #[arg(long, value_enum, default_value_t = EvidencePolicy::Corroborate)]
    pub evidence: EvidencePolicy,
    /// Prompt templates folder with system.jinja and user.jinja.
    #[arg(long, value_name = "DIR")]
    pub prompts: Option<PathBuf>,
    /// Do not read or write the response cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Response cache folder (default: the user cache dir).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct QuestionsArgs {
    /// Only questions of this topic, in any case (see the list with no filter).
    #[arg(long)]
    pub topic: Option<String>,
    /// Only questions of this level: junior, middle or senior.
    #[arg(long)]
    pub level: Option<String>,
    /// Only questions whose id, text, tags or sources contain all these words.
    #[arg(long, short)]
    pub search: Option<String>,
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Question id, e.g. `gil-what-it-protects` (see `viva questions`).
    pub question: String,
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// Validate every question and rubric file; report each problem with file and line.
    Lint(RubricLintArgs),
    /// Grade every rubric's example answers with the keyword grader and check their score ranges.
    Test(RubricTestArgs),
    /// Draft a bank (questions and rubrics) from questions and reference answers.
    #[command(
        after_help = "Examples:\n  viva rubric draft questions.csv --out my-bank      # columns question_id,question,reference_answer[,topic,level]\n  viva rubric draft --id cache-design --question \"How would you cache...?\" --reference-file model.md --out my-bank\n  viva grade cache-design answer.md --bank my-bank"
    )]
    Draft(Box<RubricDraftArgs>),
    /// Show which misconceptions and contradictions each line of a file sets off.
    #[command(
        after_help = "Each non-empty line is one statement. A rule that fires on a true statement takes credit from\nhonest answers: keep a file of true sentences close to each rule and check it after every edit.\nExits 1 when any line sets off a rule.\n\nExamples:\n  viva rubric fires gil-what-it-protects true-sentences.txt\n  echo \"The GIL is held during blocking I/O.\" | viva rubric fires gil-what-it-protects -"
    )]
    Fires(RubricFiresArgs),
}

#[derive(Debug, Args)]
pub struct RubricFiresArgs {
    /// Question id whose rubric's rules are checked.
    pub question: String,
    /// Text file of statements, one per line, or `-` for stdin. Reads stdin when omitted and piped.
    pub file: Option<PathBuf>,
    /// Output format: `json` is one `viva.rubric-fires/v1` document.
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct RubricDraftArgs {
    /// CSV with columns question_id, question, reference_answer (and optionally topic, level).
    #[arg(conflicts_with_all = ["id", "question", "reference", "reference_file"])]
    pub csv: Option<PathBuf>,
    /// Bank folder to write (created if missing); existing rubrics are kept unless --force.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Id of the one question to draft (with --question and --reference or --reference-file).
    #[arg(long, requires = "question")]
    pub id: Option<String>,
    /// The question as asked.
    #[arg(long, requires = "id")]
    pub question: Option<String>,
    /// The reference (model) answer.
    #[arg(long, conflicts_with = "reference_file")]
    pub reference: Option<String>,
    /// File holding the reference answer (plain text or markdown; headings become sections).
    #[arg(long)]
    pub reference_file: Option<PathBuf>,
    /// Topic of the question(s) when the CSV has no topic column.
    #[arg(long, default_value = "drafted")]
    pub topic: String,
    /// Level (junior, middle, senior) when the CSV has no level column.
    #[arg(long, default_value = "middle")]
    pub level: String,
    /// Replace rubrics that already exist in the output bank.
    #[arg(long)]
    pub force: bool,
    /// Do not borrow the false claims (misconceptions and contradictions) of the
    /// embedded bank's rubrics on the same subject.
    #[arg(long)]
    pub no_borrow: bool,
    /// LLM settings: drafting asks the model only with `--backend llm`; otherwise it is
    /// offline and deterministic.
    #[command(flatten)]
    pub llm: LlmArgs,
}

#[derive(Debug, Args)]
pub struct RubricLintArgs {
    /// Fail on warnings too (missing strong/partial/weak examples, too few or many points).
    #[arg(long)]
    pub strict: bool,
    /// Output format: `json` is one `viva.rubric-lint/v1` document listing every diagnostic.
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct RubricTestArgs {
    /// Only these question ids (default: all).
    pub questions: Vec<String>,
    /// Print every example's score, not only the failures.
    #[arg(long, short)]
    pub verbose: bool,
    /// Output format: `json` is one `viva.rubric-test/v1` document with every check,
    /// passed or failed (with or without -v).
    #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
