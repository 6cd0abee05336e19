#pragma once
// SIGINT and SIGTERM during a bulk command: stop sending, let what is in flight finish,
// report what was and was not done.

namespace kmesh {

/// Installs handlers that only set a flag (the second signal ends the process at once).
void install_interrupt_handlers();
/// Whether SIGINT or SIGTERM arrived.
bool interrupted();

}  // namespace kmesh
