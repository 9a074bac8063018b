// Package queue declares the farm's pipeline as Asynq tasks, one task type
// per stage, each on its own queue so every stage scales on its own: the
// task types, their payloads and IDs, a Client that queues them with each
// stage's options, and an Inspector that finds and removes them.
//
// Stages and queues:
//
//	source:split    queue "split"     a source file becomes pages
//	page:cleanup    queue "cleanup"   a page image is cleaned for OCR
//	page:ocr        queue "ocr"       a cleaned page becomes text
//	batch:finalize  queue "finalize"  the batch's outputs and manifest are completed
//	batch:webhook   queue "webhook"   a completion event is delivered
//
// A high-priority batch's tasks go to "<stage>-high" queues, a large
// page's cleanup and OCR to "large". Payloads carry store keys, never
// image bytes. Task IDs are derived from the batch and page, so queueing
// the same work twice is harmless: the second is refused as a duplicate
// while the first is held.
//
// The batches' state in Redis is package farm's (farm.Tracker). This
// package imports neither ocr nor storage.
package queue
