package batch

// PageState is where a page stands: batch.json's pages[].status and the
// state the farm keeps for each page in Redis.
type PageState string

// The page states; the set is closed.
const (
	StatePending   PageState = "pending"   // waiting for, or in, a stage
	StateDone      PageState = "done"      // read; its outputs are in the store
	StateFailed    PageState = "failed"    // could not be read; pages[].error says why
	StateCancelled PageState = "cancelled" // not read: the batch was cancelled
)

// Valid reports whether s is one of the page states.
func (s PageState) Valid() bool {
	switch s {
	case StatePending, StateDone, StateFailed, StateCancelled:
		return true
	}
	return false
}

// Status is where a batch stands: batch.json's status, the webhook
// event's status and the status the farm keeps in Redis.
type Status string

// The batch statuses; the set is closed.
const (
	StatusQueued     Status = "queued"     // created, nothing split yet
	StatusRunning    Status = "running"    // pages being processed
	StatusDone       Status = "done"       // finished, every page done
	StatusPartial    Status = "partial"    // finished, some pages failed
	StatusFailed     Status = "failed"     // finished, no page done
	StatusCancelling Status = "cancelling" // cancel requested; pages in flight finish, then "cancelled"
	StatusCancelled  Status = "cancelled"  // cancelled by a user
)

// Final reports whether s is a final status (done, partial, failed,
// cancelled): the batch will not change again unless a page is retried.
func (s Status) Final() bool {
	switch s {
	case StatusDone, StatusPartial, StatusFailed, StatusCancelled:
		return true
	case StatusQueued, StatusRunning, StatusCancelling:
		return false
	}
	return false
}

// Cancelled reports whether the batch was cancelled or is being cancelled.
func (s Status) Cancelled() bool { return s == StatusCancelling || s == StatusCancelled }
