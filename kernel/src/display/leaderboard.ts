import { LEADERBOARD_MIME, type LeaderboardDocV1, leaderboardProblems, leaderboardToText, SigmatiqError } from '@sigmatiq/engine';
import { bundle, type DisplayOutput, type Displayable } from './mime.js';

/** Wraps a leaderboard document (validated) for display: our MIME type plus a text table. */
export function leaderboard(doc: LeaderboardDocV1): Displayable & DisplayOutput {
  const problems = leaderboardProblems(doc);
  if (problems.length > 0) throw new SigmatiqError('LEADERBOARD_INVALID', `not a v1 leaderboard document: ${problems.join('; ')}`, { problems });
  return bundle({ 'text/plain': leaderboardToText(doc), [LEADERBOARD_MIME]: doc });
}
