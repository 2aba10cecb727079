//! Running a batch: a reader feeds answers to a bounded pool of workers, and
//! a single collector owns the journal, the errors file and the progress
//! display, so results are written in one place as they complete.
//!
//! Resume is the default: answers whose journal entry has the same
//! fingerprint are skipped. A second row for the same candidate and question
//! is a bad row, so one answer never has two competing grades. Stopping goes
//! through cancellation tokens, which fire only when cancelled: the first
//! Ctrl-C stops dispatching and lets in-flight answers finish, a second one
//! abandons them, and a signal handler that fails abandons nothing. When the
//! endpoint has failed several answers in a row (a circuit breaker), the run
//! stops starting answers the same way and counts those left for a resume.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

use super::bad_rows::{Seen, reset_errors, unknown_question, write_errors_line};
use super::fingerprint::{RunSettings, stale_reason};
use super::input::{Item, Row, RowError};
use super::journal::Writer;
use super::previous::Previous;
use super::record::{Failure, Fingerprint, RECORD_SCHEMA, Record, Status};
use super::summary::{Breaker, Summary};
use super::threads::GradingThreads;
use crate::bank::{Bank, Question, Rubric};
use crate::grade::GradeError;
use crate::grade::backend::Graders;
use crate::grade::llm::LlmGrader;
use crate::llm::cache::digest;
use crate::llm::client::LlmError;
use crate::stt::{Spoken, Transcriber};

/// Everything a batch run needs, resolved and checked by the command.
pub struct Settings {
    pub bank: Bank,
    pub rows: Box<dyn Iterator<Item = Row> + Send>,
    pub journal: PathBuf,
    /// The journal, opened and locked by the command.
    pub writer: Writer,
    /// What the journal held before this run (read after locking it).
    pub previous: Previous,
    /// The input's file or folder name, recorded in every journal line.
    pub input_name: String,
    pub errors: PathBuf,
    pub jobs: usize,
    pub retry_failed: bool,
    /// Keep journal entries graded with other settings instead of regrading.
    pub keep_stale: bool,
    pub shard: Option<(u64, u64)>,
    /// The graders, with the LLM grader's limiter and retry budget set.
    pub graders: Graders,
    /// Stop starting answers after this many in a row failed at the
    /// endpoint; 0 never stops.
    pub max_consecutive_failures: u32,
    pub progress: bool,
    pub quiet: bool,
    /// Total rows when known in advance (for the progress bar).
    pub total: Option<u64>,
    /// Record each answer's text in its journal line (off with
    /// `--no-answer-text`, for those who must not store answers).
    pub answer_text: bool,
    /// How recordings are transcribed: the transcriber, or why there is
    /// none (a bad transcription setting fails only the recordings).
    pub transcriber: std::result::Result<Transcriber, String>,
    /// Recordings transcribed at once.
    pub stt_jobs: usize,
}

/// The transcription side of a run, shared by every worker.
struct Hearing {
    transcriber: std::result::Result<Transcriber, String>,
    slots: Semaphore,
}

/// Failure kinds of one recording, as opposed to a failing endpoint: they
/// do not count towards the circuit breaker.
const RECORDING_FAILURES: &[&str] = &[
    "undecodable-audio",
    "audio-too-large",
    "empty-transcript",
    "missing-file",
    "stt-config",
];

/// Failure kinds that say the endpoint is down, as opposed to one answer's
/// verdict being unusable.
fn is_endpoint_failure(kind: &str) -> bool {
    kind != "invalid-verdict" && !RECORDING_FAILURES.contains(&kind)
}

/// Whether an answer belongs to shard `i` of `n` (1-based), by a hash of its key.
pub fn in_shard(shard: Option<(u64, u64)>, candidate: &str, question: &str) -> bool {
    match shard {
        None => true,
        Some((i, n)) => {
            let h = digest(&format!("{candidate}\u{0}{question}"));
            let v = u64::from_str_radix(&h[..16], 16).unwrap_or(0);
            v % n == i - 1
        }
    }
}

/// One graded (or failed) answer, with its journal line already written
/// out by the worker, so the collector only appends bytes.
struct Done {
    record: Box<Record>,
    line: Vec<u8>,
    /// Why the answer was graded again, when it was.
    regrade: Option<String>,
}

impl Done {
    fn new(mut record: Record, regrade: Option<String>, input_name: &str) -> Done {
        record.input = Some(input_name.to_string());
        let mut line = serde_json::to_vec(&record).unwrap_or_default();
        line.push(b'\n');
        Done {
            record: Box::new(record),
            line,
            regrade,
        }
    }
}

/// Answers graded by the keyword rules go to a worker this many at a time
/// (as many as are ready, never waiting for more): one hand-off between
/// threads per answer cost as much as grading it.
const CHUNK: usize = 64;

/// An answer the dispatcher has let through, and what the worker needs to
/// finish its fingerprint.
struct Job {
    item: Item,
    /// Computed by the dispatcher when the journal already had the answer
    /// (to compare); otherwise by the worker, off the dispatcher's thread.
    fingerprint: Option<Fingerprint>,
    regrade: Option<String>,
    /// Settings only recordings carry (transcription).
    extra: std::collections::BTreeMap<String, String>,
}

/// What every worker shares.
struct Shared {
    bank: Arc<Bank>,
    graders: Arc<Graders>,
    hearing: Arc<Hearing>,
    run_settings: RunSettings,
    /// In `auto` mode: the fingerprint an answer gets if the keyword rules
    /// end up grading it.
    fallback_settings: Option<RunSettings>,
    answer_text: bool,
    input_name: String,
}

impl Shared {
    /// Starts work on an answer: its question and rubric, and its
    /// outcome so far (the fingerprints; the text to grade is the answer
    /// until a recording is transcribed).
    fn begin(&self, job: Job) -> (Outcome, &Question, &Rubric, Option<String>) {
        let started = Instant::now();
        let Job {
            item,
            fingerprint,
            regrade,
            extra,
        } = job;
        let question = self
            .bank
            .question(&item.question_id)
            .expect("checked before dispatch");
        let rubric = self
            .bank
            .rubric(&item.question_id)
            .expect("checked before dispatch");
        let fingerprint = fingerprint.unwrap_or_else(|| {
            self.run_settings
                .fingerprint(question, &item.answer)
                .with_settings(&extra)
        });
        let fallback = self
            .fallback_settings
            .as_ref()
            .map(|s| s.fingerprint(question, &item.answer).with_settings(&extra));
        let outcome = Outcome {
            text: item.answer.clone(),
            item,
            spoken: None,
            fingerprint,
            fallback,
            started,
        };
        (outcome, question, rubric, regrade)
    }
}

enum Event {
    /// Finished answers, and their worker's permit: the next answers start
    /// only once the collector has recorded these (and tripped the breaker
    /// if it must).
    Done(Vec<Done>, OwnedSemaphorePermit),
    Skipped,
    /// A stale entry kept (`--keep-stale`), with why it is stale.
    KeptStale(String),
    /// An answer left for a resume: the circuit breaker stopped the run.
    NotStarted,
    Bad(RowError),
}

/// Runs `work` unless the run is aborted first; `None` when abandoned. Only
/// an explicit cancel abandons: a dropped token or handler never does.
async fn unless_aborted<T>(work: impl Future<Output = T>, abort: &CancellationToken) -> Option<T> {
    tokio::select! {
        v = work => Some(v),
        () = abort.cancelled() => None,
    }
}

/// Transcribes an item's recording: the text to grade and what the
/// recording told, or the failure to record.
async fn transcribe(
    path: &std::path::Path,
    question: &crate::bank::Question,
    rubric: &crate::bank::Rubric,
    hearing: &Hearing,
) -> std::result::Result<Spoken, Failure> {
    let fail = |kind: &str, message: String| Failure {
        kind: kind.into(),
        message,
    };
    let t = hearing
        .transcriber
        .as_ref()
        .map_err(|e| fail("stt-config", e.clone()))?;
    let audio = match crate::audio::read_if_audio(path, t.cfg.max_bytes.value) {
        Ok(Some(a)) => a,
        Ok(None) => {
            return Err(fail(
                "undecodable-audio",
                format!("{} is no longer a recording", path.display()),
            ));
        }
        Err(e @ crate::audio::AudioError::TooLarge { .. }) => {
            return Err(fail("audio-too-large", e.to_string()));
        }
        Err(e @ crate::audio::AudioError::Read { .. }) => {
            return Err(fail("missing-file", e.to_string()));
        }
        Err(e) => return Err(fail("undecodable-audio", e.to_string())),
    };
    let _slot = hearing.slots.acquire().await.expect("semaphore open");
    let prompt = crate::stt::prompt::for_question(question, rubric);
    crate::stt::hear(t, &audio, Some(&prompt))
        .await
        .map_err(|e| fail(e.kind(), e.to_string()))
}

/// Grades one answer into a journal record; failures are records too.
async fn grade_one(job: Job, shared: Arc<Shared>) -> Done {
    let (mut outcome, question, rubric, regrade) = shared.begin(job);
    if let Some(path) = &outcome.item.audio {
        match transcribe(path, question, rubric, &shared.hearing).await {
            Ok(sp) => {
                outcome.text = sp.transcript.answer_text();
                outcome.spoken = Some(sp);
            }
            Err(failure) => {
                let item = outcome.item;
                let record = Record {
                    journal: RECORD_SCHEMA.into(),
                    status: Status::Failed,
                    candidate: item.candidate,
                    question_id: item.question_id,
                    position: item.position,
                    input: None,
                    fingerprint: outcome.fingerprint,
                    latency_ms: outcome.started.elapsed().as_millis() as u64,
                    grading: None,
                    failure: Some(failure),
                    answer: None,
                };
                return Done::new(record, regrade, &shared.input_name);
            }
        }
    }
    let result = shared.graders.grade(question, rubric, &outcome.text).await;
    Done::new(
        outcome.record(result, shared.answer_text),
        regrade,
        &shared.input_name,
    )
}

/// Threads that grade keyword answers for `-j jobs`: at most one per core.
/// Keyword grading never waits, so more threads only queue for the cores,
/// each with its own memos and regex caches: the default `-j 8` on two
/// cores held 38% more memory than `-j 2`, for no more speed.
fn keyword_threads(jobs: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    jobs.clamp(1, cores)
}

/// Grades answers by the keyword rules in this thread, in order: they never
/// wait on anything, so a chunk of them needs no async task each.
fn grade_offline(jobs: Vec<Job>, shared: &Shared) -> Vec<Done> {
    jobs.into_iter()
        .map(|job| {
            let (outcome, question, rubric, regrade) = shared.begin(job);
            let graded = shared
                .graders
                .grade_offline(question, rubric, &outcome.text)
                .expect("only keyword runs grade offline");
            Done::new(
                outcome.record(Ok(graded), shared.answer_text),
                regrade,
                &shared.input_name,
            )
        })
        .collect()
}

/// An answer once graded, before it becomes a journal record.
struct Outcome {
    item: Item,
    /// The text graded: the answer, or the recording's transcript.
    text: String,
    spoken: Option<Spoken>,
    fingerprint: Fingerprint,
    fallback: Option<Fingerprint>,
    started: Instant,
}

impl Outcome {
    fn record(
        self,
        result: std::result::Result<crate::grade::backend::Graded, GradeError>,
        answer_text: bool,
    ) -> Record {
        let Outcome {
            item,
            text,
            spoken,
            mut fingerprint,
            fallback,
            started,
        } = self;
        if let (Ok(graded), Some(f)) = (&result, fallback)
            && graded.fallback.is_some()
        {
            fingerprint = f;
        }
        let latency_ms = started.elapsed().as_millis() as u64;
        let (status, grading, failure) = match result {
            Ok(g) => {
                let mut grading = g.grading;
                if let Some(sp) = spoken {
                    grading.attach_spoken(sp);
                }
                // The transcript is the answer: --no-answer-text keeps only its
                // timings, as it keeps only the quotes of a text answer.
                if let Some(sp) = grading.spoken.as_mut()
                    && !answer_text
                {
                    sp.transcript.text.clear();
                    for seg in &mut sp.transcript.segments {
                        seg.text.clear();
                    }
                }
                (Status::Graded, Some(grading), None)
            }
            Err(GradeError::Llm(e)) => {
                let kind = match &e {
                    LlmError::Auth { .. } => "auth",
                    LlmError::InvalidVerdict(_) => "invalid-verdict",
                    LlmError::Timeout { .. } => "timeout",
                    LlmError::Unreachable { .. } => "unreachable",
                    LlmError::Tls { .. } => "tls",
                    _ => "endpoint",
                };
                (
                    Status::Failed,
                    None,
                    Some(Failure {
                        kind: kind.into(),
                        message: e.to_string(),
                    }),
                )
            }
        };
        Record {
            journal: RECORD_SCHEMA.into(),
            status,
            candidate: item.candidate,
            question_id: item.question_id,
            position: item.position,
            input: None,
            fingerprint,
            latency_ms,
            grading,
            failure,
            answer: answer_text.then_some(text),
        }
    }
}

/// The threads that grade chunks of keyword answers.
type ChunkThreads = GradingThreads<Vec<Job>, Vec<Done>>;

/// Starts answers on the worker pool for the dispatcher.
struct Starter {
    /// Grades chunks of keyword answers, one chunk per thread at a time
    /// (the semaphore): set when no endpoint is.
    offline: Option<(ChunkThreads, Arc<Semaphore>)>,
    sem: Arc<Semaphore>,
    stop: CancellationToken,
    interrupted: Arc<AtomicBool>,
    abort: CancellationToken,
    shared: Arc<Shared>,
    events: mpsc::Sender<Event>,
}

impl Starter {
    /// Waits for a free worker. `None` when the run stopped meanwhile: after
    /// Ctrl-C dispatch ends (`Err`), after the breaker the answers are
    /// counted as not started.
    async fn permit(&self, answers: usize) -> Result<Option<OwnedSemaphorePermit>, ()> {
        self.permit_of(&self.sem, answers).await
    }

    /// [`Starter::permit`] from a given pool of workers.
    async fn permit_of(
        &self,
        sem: &Arc<Semaphore>,
        answers: usize,
    ) -> Result<Option<OwnedSemaphorePermit>, ()> {
        if let Some(stopped) = self.stopped(answers).await {
            return stopped;
        }
        let permit = sem.clone().acquire_owned().await.expect("semaphore open");
        if let Some(stopped) = self.stopped(answers).await {
            return stopped;
        }
        Ok(Some(permit))
    }

    async fn stopped(&self, answers: usize) -> Option<Result<Option<OwnedSemaphorePermit>, ()>> {
        if !self.stop.is_cancelled() {
            return None;
        }
        if self.interrupted.load(Ordering::SeqCst) {
            return Some(Err(()));
        }
        for _ in 0..answers {
            let _ = self.events.send(Event::NotStarted).await;
        }
        Some(Ok(None))
    }

    /// Starts one answer as its own task; false when dispatch must end.
    async fn one(&self, job: Job) -> bool {
        let permit = match self.permit(1).await {
            Err(()) => return false,
            Ok(None) => return true,
            Ok(Some(p)) => p,
        };
        let (shared, tx, abort) = (self.shared.clone(), self.events.clone(), self.abort.clone());
        tokio::spawn(async move {
            if let Some(done) = unless_aborted(grade_one(job, shared), &abort).await {
                let _ = tx.send(Event::Done(vec![done], permit)).await;
            }
        });
        true
    }

    /// Grades a chunk of keyword answers on a grading thread; false when
    /// dispatch must end.
    async fn chunk(&self, jobs: Vec<Job>) -> bool {
        if jobs.is_empty() {
            return true;
        }
        let Some((threads, sem)) = &self.offline else {
            unreachable!("chunks are graded only offline")
        };
        let permit = match self.permit_of(sem, jobs.len()).await {
            Err(()) => return false,
            Ok(None) => return true,
            Ok(Some(p)) => p,
        };
        let (tx, abort) = (self.events.clone(), self.abort.clone());
        let work = threads.submit(jobs);
        tokio::spawn(async move {
            if let Some(Ok(done)) = unless_aborted(work, &abort).await {
                let _ = tx.send(Event::Done(done, permit)).await;
            }
        });
        true
    }
}

/// Runs the batch to completion (or interruption).
pub async fn execute(settings: Settings) -> std::io::Result<Summary> {
    let started = Instant::now();
    let mut writer = settings.writer;
    let done = settings.previous;
    let input_name = settings.input_name;
    let bank = Arc::new(settings.bank);
    let graders = Arc::new(settings.graders);
    let hearing = Arc::new(Hearing {
        transcriber: settings.transcriber,
        slots: Semaphore::new(settings.stt_jobs.max(1)),
    });
    let keyword_settings = RunSettings::keyword(&bank);
    let run_settings = match &graders.llm {
        Some(g) => RunSettings::llm(&bank, g),
        None => keyword_settings.clone(),
    };
    // In `auto` mode an unreachable endpoint grades with keywords instead.
    let fallback_settings = graders.can_fall_back().then_some(keyword_settings);
    // Without an endpoint, text answers are graded in chunks on grading
    // threads, at most one per core (see `keyword_threads`); recordings
    // still go one by one, `-j` at once (they wait on transcription).
    let offline = graders.llm.is_none();
    let shared = Arc::new(Shared {
        bank: bank.clone(),
        graders: graders.clone(),
        hearing: hearing.clone(),
        run_settings,
        fallback_settings,
        answer_text: settings.answer_text,
        input_name,
    });

    // `abort` abandons answers in flight; `stop`, its child, ends dispatch.
    let abort = CancellationToken::new();
    let stop = abort.child_token();
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let (stop, abort, interrupted) = (stop.clone(), abort.clone(), interrupted.clone());
        tokio::spawn(async move {
            if let Err(e) = tokio::signal::ctrl_c().await {
                eprintln!("warning: cannot catch Ctrl-C ({e}); the batch runs to the end");
                return;
            }
            interrupted.store(true, Ordering::SeqCst);
            stop.cancel();
            eprintln!("\nstopping: finishing answers in flight (Ctrl-C again to abandon them)");
            if tokio::signal::ctrl_c().await.is_ok() {
                abort.cancel();
            }
        });
    }

    // Reader: a blocking thread feeding a bounded channel keeps memory flat.
    // It holds enough rows to fill a chunk for every worker.
    let (row_tx, mut row_rx) = mpsc::channel::<Row>(settings.jobs * (CHUNK + 2) + 16);
    let mut rows = settings.rows;
    tokio::task::spawn_blocking(move || {
        for row in rows.by_ref() {
            if row_tx.blocking_send(row).is_err() {
                break;
            }
        }
    });

    let (ev_tx, mut ev_rx) = mpsc::channel::<Event>(settings.jobs * 2 + 16);
    let dispatcher = {
        let stop = stop.clone();
        let bank = bank.clone();
        let shared = shared.clone();
        let stt_settings = hearing
            .transcriber
            .as_ref()
            .map(super::fingerprint::transcription_settings)
            .unwrap_or_default();
        let sem = Arc::new(Semaphore::new(settings.jobs));
        let grading_threads = keyword_threads(settings.jobs);
        let retry_failed = settings.retry_failed;
        let keep_stale = settings.keep_stale;
        let interrupted = interrupted.clone();
        let shard = settings.shard;
        tokio::spawn(async move {
            let mut seen = Seen::default();
            let mut chunk: Vec<Job> = Vec::new();
            let start = Starter {
                offline: offline.then(|| {
                    let shared = shared.clone();
                    let threads = GradingThreads::start(grading_threads, move |chunk| {
                        grade_offline(chunk, &shared)
                    });
                    (threads, Arc::new(Semaphore::new(grading_threads)))
                }),
                sem,
                stop: stop.clone(),
                interrupted: interrupted.clone(),
                abort: abort.clone(),
                shared: shared.clone(),
                events: ev_tx.clone(),
            };
            loop {
                let row = match row_rx.try_recv() {
                    Ok(row) => row,
                    Err(mpsc::error::TryRecvError::Empty) if !chunk.is_empty() => {
                        // Nothing more is ready: grade what has been gathered.
                        if !start.chunk(std::mem::take(&mut chunk)).await {
                            break;
                        }
                        continue;
                    }
                    Err(_) => match row_rx.recv().await {
                        Some(row) => row,
                        None => break,
                    },
                };
                // Ctrl-C stops reading; the breaker reads on, to count what is left.
                if stop.is_cancelled() && interrupted.load(Ordering::SeqCst) {
                    break;
                }
                let item = match row {
                    Ok(item) => item,
                    Err(e) => {
                        let _ = ev_tx.send(Event::Bad(e)).await;
                        continue;
                    }
                };
                if !in_shard(shard, &item.candidate, &item.question_id) {
                    continue;
                }
                if let Err(e) = seen.check(&item) {
                    let _ = ev_tx.send(Event::Bad(e)).await;
                    continue;
                }
                let question = match bank.question(&item.question_id) {
                    Some(q) if shared.run_settings.knows(&item.question_id) => q,
                    _ => {
                        let e = unknown_question(&bank, item);
                        let _ = ev_tx.send(Event::Bad(e)).await;
                        continue;
                    }
                };
                let extra = if item.audio.is_some() {
                    stt_settings.clone()
                } else {
                    Default::default()
                };
                let mut regrade = None;
                let mut known = None;
                if let Some((status, old)) = done.get(&item.candidate, &item.question_id) {
                    let fingerprint = shared
                        .run_settings
                        .fingerprint(question, &item.answer)
                        .with_settings(&extra);
                    let settled = status == Status::Graded || !retry_failed;
                    match stale_reason(&old, &fingerprint) {
                        None if settled => {
                            let _ = ev_tx.send(Event::Skipped).await;
                            continue;
                        }
                        None => {}
                        // A changed answer is a new answer, stale or not.
                        Some(reason)
                            if keep_stale && settled && old.answer == fingerprint.answer =>
                        {
                            let _ = ev_tx.send(Event::KeptStale(reason)).await;
                            continue;
                        }
                        Some(reason) => regrade = Some(reason),
                    }
                    known = Some(fingerprint);
                }
                let job = Job {
                    fingerprint: known,
                    regrade,
                    extra,
                    item,
                };
                if offline && job.item.audio.is_none() {
                    chunk.push(job);
                    if chunk.len() >= CHUNK && !start.chunk(std::mem::take(&mut chunk)).await {
                        break;
                    }
                    continue;
                }
                if !start.one(job).await {
                    break;
                }
            }
            // The rows ran out: grade what was gathered (after Ctrl-C, nothing).
            if !chunk.is_empty() && !interrupted.load(Ordering::SeqCst) {
                start.chunk(chunk).await;
            }
        })
    };

    let mut summary = Summary {
        journal: settings.journal.clone(),
        errors: settings.errors.clone(),
        ..Summary::default()
    };
    let mut errors_file = None;
    reset_errors(&settings.errors);
    let mut progress = Progress::new(settings.progress, settings.quiet, settings.total);
    let mut cost = 0.0;
    let mut any_cost = false;
    let mut in_a_row = 0u32;
    while let Some(ev) = ev_rx.recv().await {
        match ev {
            Event::Done(done, permit) => {
                // One write for the chunk: every line in it is whole.
                let mut lines = Vec::with_capacity(done.iter().map(|d| d.line.len()).sum());
                for d in &done {
                    lines.extend_from_slice(&d.line);
                }
                writer.append_lines(&lines)?;
                for Done {
                    record, regrade, ..
                } in done
                {
                    if let Some(reason) = regrade {
                        *summary.regraded.entry(reason).or_default() += 1;
                    }
                    match (&record.grading, &record.failure) {
                        (Some(g), _) => {
                            in_a_row = 0;
                            summary.graded += 1;
                            if g.poor_transcript() {
                                summary.poor_transcripts += 1;
                            }
                            if let Some(u) = &g.usage {
                                summary.prompt_tokens += u.prompt_tokens;
                                summary.completion_tokens += u.completion_tokens;
                                if let Some(c) = u.cost_usd {
                                    cost += c;
                                    any_cost = true;
                                }
                            }
                        }
                        (None, Some(f)) => {
                            *summary.failed.entry(f.kind.clone()).or_default() += 1;
                            if is_endpoint_failure(&f.kind) {
                                in_a_row += 1;
                            }
                            let limit = settings.max_consecutive_failures;
                            if limit > 0 && in_a_row >= limit && summary.breaker.is_none() {
                                summary.breaker = Some(Breaker {
                                    failures: in_a_row,
                                    kind: f.kind.clone(),
                                    message: f.message.clone(),
                                });
                                stop.cancel();
                            }
                        }
                        (None, None) => {}
                    }
                }
                // Only now may the dispatcher start another answer: it sees
                // the breaker as this result left it.
                drop(permit);
            }
            Event::Skipped => summary.skipped += 1,
            Event::NotStarted => summary.not_started += 1,
            Event::KeptStale(reason) => {
                summary.skipped += 1;
                *summary.kept_stale.entry(reason).or_default() += 1;
            }
            Event::Bad(e) => {
                write_errors_line(&mut errors_file, &settings.errors, &e);
                *summary.bad_rows.entry(e.kind.clone()).or_default() += 1;
            }
        }
        progress.update(&summary, graders.llm.as_ref());
    }
    let _ = dispatcher.await;
    progress.finish();
    summary.cost_usd = any_cost.then_some(cost);
    summary.interrupted = interrupted.load(Ordering::SeqCst);
    summary.budget_spent = graders
        .llm
        .as_ref()
        .is_some_and(|g| g.client.stats.budget_spent.load(Ordering::Relaxed));
    summary.wall = started.elapsed();
    Ok(summary)
}

/// The progress display: a bar on a terminal, periodic lines otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    last: Instant,
    started: Instant,
}

impl Progress {
    fn new(enabled: bool, quiet: bool, total: Option<u64>) -> Progress {
        let tty = std::io::stderr().is_terminal();
        let bar = (enabled && !quiet && tty).then(|| {
            let bar = match total {
                Some(t) => indicatif::ProgressBar::new(t),
                None => indicatif::ProgressBar::no_length(),
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} · {msg} · ETA {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            bar,
            plain: enabled && !quiet && !tty,
            last: Instant::now(),
            started: Instant::now(),
        }
    }

    fn update(&mut self, s: &Summary, llm: Option<&LlmGrader>) {
        let processed = s.graded + s.failed_total() + s.skipped + s.bad_total();
        let retries = llm.map_or(0, |g| g.client.stats.retries.load(Ordering::Relaxed));
        if let Some(bar) = &self.bar {
            let rate = s.graded as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
            bar.set_position(processed);
            bar.set_message(format!(
                "{rate:.1}/s · failed {} · retries {retries}",
                s.failed_total()
            ));
        } else if self.plain && self.last.elapsed() >= Duration::from_secs(10) {
            self.last = Instant::now();
            let rate = s.graded as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
            eprintln!(
                "progress: {processed} done ({} graded, {} failed, {} skipped), {rate:.1} answers/s, {retries} retries",
                s.graded,
                s.failed_total(),
                s.skipped
            );
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_grading_takes_at_most_one_thread_per_core() {
        let cores = std::thread::available_parallelism().unwrap().get();
        assert_eq!(keyword_threads(1), 1);
        assert_eq!(keyword_threads(0), 1);
        assert_eq!(keyword_threads(cores), cores);
        assert_eq!(keyword_threads(cores + 7), cores);
    }

    #[tokio::test(start_paused = true)]
    async fn answers_in_flight_finish_unless_the_run_is_aborted() {
        // Regression: a signal handler that failed dropped its sender, which
        // abandoned every answer in flight as if Ctrl-C had been pressed twice.
        let abort = CancellationToken::new();
        let handler = abort.clone();
        drop(handler);
        let slow = async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            7
        };
        assert_eq!(unless_aborted(slow, &abort).await, Some(7));

        let stop = abort.child_token();
        stop.cancel();
        assert!(!abort.is_cancelled(), "stopping dispatch is not aborting");
        abort.cancel();
        let never = std::future::pending::<u8>();
        assert_eq!(unless_aborted(never, &abort).await, None);
    }
}
