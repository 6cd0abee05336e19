#pragma once
// A last resort for completion, which a shell waits for on every <TAB>: past a deadline the
// process prints its last words and exits, whatever it was waiting on (a credential plugin,
// a server answering slowly with Retry-After).

namespace kmesh::cli {

/// Exits with status 0 after `seconds`, writing `last_words` (static text) to stdout first,
/// unless cancelled before. Uses SIGALRM.
void arm_exit_deadline(unsigned seconds, const char* last_words);

/// Cancels the deadline (a no-op when none is armed), before the real output is printed.
void cancel_exit_deadline();

}  // namespace kmesh::cli
