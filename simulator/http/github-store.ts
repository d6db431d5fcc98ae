import type { Clock } from '../model/clock.js'
import type { Journal } from '../model/journal.js'

// The GitHub issues the action opens and finds (its report and its hold on a database). They are the
// server's, not the Heroku account's: only the GitHub paths (routes/github.ts) and introspection read them.

export interface GithubIssue {
  repo: string
  number: number
  title: string
  body: string | null
  labels: string[]
  assignees: string[]
  state: 'open' | 'closed'
  createdAt: number
  updatedAt: number
  closedAt: number | null
  comments: { id: number; body: string; createdAt: number }[]
}

export interface IssueChanges {
  title?: string
  body?: string
  /** Replaces the labels. */
  labels?: string[]
  state?: 'open' | 'closed'
}

/** Every repository's issues, numbered per repository from 1, on the simulated clock. */
export class GithubStore {
  private readonly issues: GithubIssue[] = []

  constructor(
    private readonly clock: Clock,
    private readonly journal: Journal,
  ) {}

  /** Every issue, in the order they were opened. */
  all(): readonly GithubIssue[] {
    return this.issues
  }

  ofRepo(repo: string): GithubIssue[] {
    return this.issues.filter((i) => i.repo === repo)
  }

  /** The issue of that number (as the path spells it) in the repository. */
  find(repo: string, number: string): GithubIssue | undefined {
    return this.issues.find((i) => i.repo === repo && String(i.number) === number)
  }

  /** A stable id, unique across repositories. */
  idOf(issue: GithubIssue): number {
    return issue.number * 1000 + this.issues.indexOf(issue)
  }

  open(
    repo: string,
    fields: { title: string; body: string | null; labels: string[]; assignees: string[] },
  ): GithubIssue {
    const now = this.clock.now
    const issue: GithubIssue = {
      repo,
      number: this.ofRepo(repo).length + 1,
      title: fields.title,
      body: fields.body,
      labels: [...new Set(fields.labels)],
      assignees: fields.assignees,
      state: 'open',
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      comments: [],
    }
    this.issues.push(issue)
    this.journal.record('github-issue', `${repo}#${issue.number} opened: ${issue.title}`)
    return issue
  }

  edit(issue: GithubIssue, changes: IssueChanges): void {
    if (changes.title !== undefined) issue.title = changes.title
    if (changes.body !== undefined) issue.body = changes.body
    if (changes.labels !== undefined) issue.labels = [...new Set(changes.labels)]
    if (changes.state !== undefined) {
      issue.closedAt = changes.state === 'closed' ? this.clock.now : null
      issue.state = changes.state
    }
    issue.updatedAt = this.clock.now
  }

  /** Adds the labels the issue does not have yet. */
  addLabels(issue: GithubIssue, labels: string[]): void {
    for (const label of labels) if (!issue.labels.includes(label)) issue.labels.push(label)
    issue.updatedAt = this.clock.now
  }

  comment(issue: GithubIssue, body: string): GithubIssue['comments'][number] {
    const comment = {
      id: this.issues.length * 1000 + issue.comments.length + 1,
      body,
      createdAt: this.clock.now,
    }
    issue.comments.push(comment)
    return comment
  }
}
