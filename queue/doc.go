// Package queue declares the farm's pipeline as Asynq tasks, one task type
// per stage, each on its own queue so every stage scales on its own, and
// keeps each batch's progress in Redis (the Tracker).
//
// Stages and queues:
//
//	source:split    queue "split"     a source file becomes pages
//	page:cleanup    queue "cleanup"   a page image is cleaned for OCR
//	page:ocr        queue "ocr"       a cleaned page becomes text
//	batch:finalize  queue "finalize"  the batch's outputs and manifest are completed
//
// Payloads carry store keys, never image bytes. Task IDs are derived from
// the batch and page, so enqueueing the same work twice is harmless: the
// second enqueue is refused as a duplicate while the first is queued.
//
// This package imports neither ocr nor storage.
package queue
