//! `viva practice`: checks every option up front (topic, level, question,
//! answer file, history, editor), then hands over to the session loop in
//! [`crate::practice::session`].

use fastrand::Rng;

use super::grade::{graders, runtime};
use super::spoken;
use super::{Context, lookup};
use crate::cli::PracticeArgs;
use crate::config::SttConfig;
use crate::error::{Error, ExitStatus, Result};
use crate::llm::followup::FollowUpPrompt;
use crate::practice::clock::Clock;
use crate::practice::console::Console;
use crate::practice::history::{self, History};
use crate::practice::recorder;
use crate::practice::session::{MockOptions, Options, Session};
use crate::practice::{editor, select};

pub fn run(ctx: &mut Context, args: &PracticeArgs) -> Result<ExitStatus> {
    let bank = ctx.bank()?;
    let pool = select::pool(&bank, args.topic.as_deref(), args.level.as_deref())?;
    let first = match &args.question {
        Some(id) => Some(lookup(&bank, id)?.0),
        None => None,
    };
    let answer_file = match args.answer_file.as_deref() {
        Some(p) => Some(spoken::read(Some(p), &args.stt, &args.llm)?),
        None => None,
    };
    let record = if args.record {
        Some((
            recorder::command()?,
            SttConfig::resolve(&args.stt, &args.llm)?,
        ))
    } else {
        None
    };
    let editor = args.editor.then(editor::editor_command).transpose()?;
    history::now()?; // a bad VIVA_NOW fails before the first question
    let history_path = history::resolve_path(args.history.as_deref())?;
    let loaded = History::load(&history_path)?;
    for warning in loaded.warnings(&history_path) {
        ctx.note(&warning);
    }
    let pool = match args.due {
        true => match select::only_due(&pool, &loaded.attempts, history::now()?) {
            Ok(due) => due,
            Err(nothing) => {
                ctx.print(&nothing.to_string())?;
                return Ok(ExitStatus::Success);
            }
        },
        false => pool,
    };
    let graders = graders(&args.llm)?;
    let console = Console::new(runtime()?)
        .map_err(|e| Error::Other(anyhow::anyhow!("cannot watch for Ctrl-C: {e}")))?;
    let rng = match args.seed {
        Some(seed) => Rng::with_seed(seed),
        None => Rng::new(),
    };
    let mock = match args.mock {
        Some(duration) => Some(MockOptions {
            duration,
            summary_out: args.summary_out.clone(),
            clock: Clock::from_env()?,
        }),
        None => None,
    };
    // Only a model can phrase follow-ups; the keyword grader keeps the bank's.
    let phrasing = match (&graders.llm, &mock) {
        (Some(_), None) => Some(FollowUpPrompt::load(args.llm.prompts.as_deref())?),
        _ => None,
    };
    let opts = Options {
        pool,
        first,
        answer_file,
        record,
        editor,
        reveal: args.reveal,
        history_path,
        graders,
        rng,
        mock,
        phrasing,
    };
    Session::new(ctx, &bank, opts, loaded.attempts, console).run()
}
