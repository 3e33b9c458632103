import { CodedError } from '../core/errors.ts'

/**
 * Codes and factories for what the fleet reports itself: refused bus messages, failed prepares, a
 * missing secret. Swap failures on a member keep the core's codes (`HOTCLASS_LOAD_FAILED`, ...).
 */

export const FleetErrorCodes = {
  /** `hotclass fleet ...` or `run --fleet` was called with arguments it does not understand. */
  USAGE: 'HOTCLASS_FLEET_USAGE',
  /** No shared secret in HOTCLASS_FLEET_SECRET: nothing could be signed or trusted. */
  NO_SECRET: 'HOTCLASS_FLEET_NO_SECRET',
  /** A message on the bus had no signature, or one that does not match: it was dropped unread. */
  BAD_SIGNATURE: 'HOTCLASS_FLEET_BAD_SIGNATURE',
  /** A signed message that is not a fleet message of this fleet (wrong shape, other fleet, bad hash). */
  BAD_MESSAGE: 'HOTCLASS_FLEET_BAD_MESSAGE',
  /** A member could not prepare a patch (a module does not compile, an import does not resolve). */
  PREPARE_FAILED: 'HOTCLASS_FLEET_PREPARE_FAILED',
  /** The log no longer holds every patch since version 0 (trimmed): a new member cannot catch up. */
  LOG_TRIMMED: 'HOTCLASS_FLEET_LOG_TRIMMED',
  /** Another coordinator already serves this fleet. */
  COORDINATOR_TAKEN: 'HOTCLASS_FLEET_COORDINATOR_TAKEN',
  /** `fleet apply`/`fleet rollback` found no coordinator listening for the fleet. */
  NO_COORDINATOR: 'HOTCLASS_FLEET_NO_COORDINATOR',
  /** A `fleet` command could not reach Redis, or Redis refused a command. */
  REDIS_FAILED: 'HOTCLASS_FLEET_REDIS_FAILED',
} as const

export type FleetErrorCode = (typeof FleetErrorCodes)[keyof typeof FleetErrorCodes]

/** An error of the fleet: the project's one coded error (a `code`, a `hint`), with the fleet's codes. */
export class HotclassFleetError extends CodedError<FleetErrorCode> {}

export const fleetErrors = {
  usage(problem: string): HotclassFleetError {
    return new HotclassFleetError(
      FleetErrorCodes.USAGE,
      problem,
      'Run `hotclass fleet serve|status|apply|rollback --redis <url> --name <fleet>` or `hotclass run --fleet <url> --name <fleet> <entry.ts>`.',
    )
  },

  noSecret(variable: string): HotclassFleetError {
    return new HotclassFleetError(
      FleetErrorCodes.NO_SECRET,
      `${variable} is not set: fleet messages cannot be signed or checked`,
      `Give the coordinator and every member the same secret, e.g. \`export ${variable}=$(openssl rand -hex 32)\`.`,
    )
  },

  badSignature(what: string): HotclassFleetError {
    return new HotclassFleetError(
      FleetErrorCodes.BAD_SIGNATURE,
      `Refused ${what}: it is unsigned or its signature does not match`,
      'Only the coordinator (holding HOTCLASS_FLEET_SECRET) can patch members; check that every process has the same secret, and who else writes to this Redis.',
    )
  },

  badMessage(problem: string): HotclassFleetError {
    return new HotclassFleetError(
      FleetErrorCodes.BAD_MESSAGE,
      `Refused a fleet message: ${problem}`,
      'Coordinator and members must run the same hotclass version with the same --name.',
    )
  },

  prepareFailed(problem: string): HotclassFleetError {
    return new HotclassFleetError(
      FleetErrorCodes.PREPARE_FAILED,
      `Cannot prepare the patch: ${problem}`,
      "The patch was aborted for the whole fleet; bring this member's checkout up to date (a file the patch imports is missing) and save again.",
    )
  },

  logTrimmed(first: number): HotclassFleetError {
    return new HotclassFleetError(
      FleetErrorCodes.LOG_TRIMMED,
      `The fleet's log starts at version ${first}: the patches before it were trimmed`,
      'Start this member from a checkout that has those edits, or restart the fleet with a longer --log-length.',
    )
  },

  coordinatorTaken(fleet: string): HotclassFleetError {
    return new HotclassFleetError(
      FleetErrorCodes.COORDINATOR_TAKEN,
      `Another coordinator already serves the fleet "${fleet}"`,
      'Run one `hotclass fleet serve` per fleet name; stop the other one or pick another --name.',
    )
  },

  noCoordinator(fleet: string): HotclassFleetError {
    return new HotclassFleetError(
      FleetErrorCodes.NO_COORDINATOR,
      `No coordinator serves the fleet "${fleet}" on this Redis`,
      'Start `hotclass fleet serve --redis <url> --name <fleet>` (with the same --redis and --name) and ask again.',
    )
  },

  redisFailed(url: string, cause: unknown): HotclassFleetError {
    return new HotclassFleetError(
      FleetErrorCodes.REDIS_FAILED,
      `Redis at ${url} failed: ${
        // ioredis says "Reached the max retries per request limit" for a server it never reached.
        cause instanceof Error && cause.name === 'MaxRetriesPerRequestError'
          ? 'it cannot be reached'
          : cause instanceof Error
            ? cause.message.split('\n')[0]
            : String(cause)
      }`,
      'Check that redis-server runs there and that --redis is the URL the coordinator and members use.',
      { cause },
    )
  },
}
