//! The batch pipeline: many answers read as a stream, graded concurrently,
//! each result appended to a journal as it completes.

pub mod bad_rows;
pub mod columns;
mod csv_rows;
pub mod fingerprint;
pub mod input;
pub mod journal;
pub mod previous;
pub mod record;
pub mod run;
pub mod summary;
mod threads;
