/**
 * Demo data through the running Ticket API (`npm run up` first): departments, people, a business calendar,
 * two approval chains and a few submitted tickets, so the Temporal Web UI shows live approvals at once.
 * Safe to run again: what exists is reused. Every demo user's password is `demo-password-1`.
 */
const BASE = process.env.TICKET_API_URL ?? `http://127.0.0.1:${process.env.TICKET_API_PORT ?? '8000'}`;
const ADMIN = process.env.ADMIN_USERNAME ?? 'admin';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'admin-dev-password';
const PASSWORD = 'demo-password-1';

type Json = Record<string, unknown>;

async function call(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

async function must(method: string, path: string, token: string | null, body?: unknown): Promise<Json> {
  const res = await call(method, path, token, body);
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function login(username: string, password: string): Promise<string> {
  const body = await must('POST', '/auth/token', null, { grant_type: 'password', username, password });
  return body.access_token as string;
}

async function main(): Promise<void> {
  const admin = await login(ADMIN, ADMIN_PASSWORD);
  const list = async (path: string) => ((await must('GET', `${path}?limit=100`, admin)).data as Json[]) ?? [];

  const departments = new Map((await list('/departments')).map((d) => [d.name as string, d.id as string]));
  for (const name of ['IT', 'Finance', 'Sales']) {
    if (!departments.has(name))
      departments.set(name, (await must('POST', '/departments', admin, { name })).id as string);
  }

  const users = new Map((await list('/users')).map((u) => [u.username as string, u.id as string]));
  const person = async (
    username: string,
    displayName: string,
    roles: string[],
    department: string,
    manager?: string,
  ) => {
    if (!users.has(username)) {
      const body = {
        username,
        password: PASSWORD,
        displayName,
        email: `${username}@example.test`,
        roles,
        departmentId: departments.get(department),
        managerId: manager ? users.get(manager) : undefined,
      };
      users.set(username, (await must('POST', '/users', admin, body)).id as string);
    }
    return users.get(username)!;
  };
  await person('it.head', 'Irene Chen (IT head)', ['approver'], 'IT');
  await person('fin.head', '王大明 (Finance head)', ['approver'], 'Finance');
  await person('sales.head', 'Sara Lin (Sales head)', ['approver'], 'Sales');
  await person('sam', 'Sam Wu (Sales manager)', ['approver'], 'Sales', 'sales.head');
  await person('frank', '林志明 (Finance approver)', ['approver'], 'Finance', 'fin.head');
  await person('fiona', 'Fiona Ho (Finance approver)', ['approver'], 'Finance', 'fin.head');
  await person('ivy', 'Ivy Tsai (IT agent)', ['agent'], 'IT', 'it.head');
  await person('kate', 'Kate Lee (knowledge editor)', ['knowledge_editor', 'agent'], 'IT', 'it.head');
  await person('alice', '陳小美 Alice', ['requester'], 'Sales', 'sam');
  await person('bob', 'Bob Huang', ['requester'], 'Sales', 'sam');
  for (const [dept, head] of [
    ['IT', 'it.head'],
    ['Finance', 'fin.head'],
    ['Sales', 'sales.head'],
  ] as const) {
    await must('PATCH', `/departments/${departments.get(dept)}`, admin, { headId: users.get(head) });
  }

  const calendars = await list('/calendars');
  const day = [
    ['09:00', '12:00'],
    ['13:00', '18:00'],
  ];
  const calendarId =
    (calendars.find((c) => c.name === 'Taipei office')?.id as string | undefined) ??
    ((
      await must('POST', '/calendars', admin, {
        name: 'Taipei office',
        timezone: 'Asia/Taipei',
        workingHours: { mon: day, tue: day, wed: day, thu: day, fri: day },
        holidays: [
          '2027-01-01',
          '2027-02-05',
          '2027-02-08',
          '2027-02-09',
          '2027-02-10',
          '2027-02-11',
          '2027-04-05',
          '2027-05-01',
          '2027-06-09',
          '2027-09-15',
          '2027-10-11',
        ],
      })
    ).id as string);

  const chains = new Set((await list('/approval-chains')).map((c) => c.category as string));
  if (!chains.has('purchase')) {
    await must('POST', '/approval-chains', admin, {
      name: 'Purchase request',
      category: 'purchase',
      calendarId,
      sla: { response: 'PT8H', resolution: 'P5D' },
      steps: [
        {
          name: 'Manager approval',
          mode: 'all',
          approvers: [{ type: 'manager' }],
          remindAfter: 'P1D',
          escalateAfter: 'P2D',
          escalateTo: 'manager',
        },
        {
          name: 'Finance review',
          mode: 'quorum',
          quorum: 1,
          approvers: [
            { type: 'user', value: users.get('frank') },
            { type: 'user', value: users.get('fiona') },
          ],
          remindAfter: 'PT4H',
          escalateAfter: 'P1D',
          escalateTo: 'department_head',
        },
      ],
    });
  }
  if (!chains.has('access-request')) {
    await must('POST', '/approval-chains', admin, {
      name: 'System access',
      category: 'access-request',
      calendarId,
      sla: { response: 'PT4H', resolution: 'P2D' },
      steps: [
        {
          name: 'Manager',
          mode: 'all',
          approvers: [{ type: 'manager' }],
          remindAfter: 'PT4H',
          escalateAfter: 'P1D',
          escalateTo: 'department_head',
        },
        {
          name: 'IT security',
          mode: 'any',
          approvers: [
            { type: 'department_head', value: departments.get('IT') },
            { type: 'user', value: users.get('ivy') },
          ],
        },
      ],
    });
  }

  const alice = await login('alice', PASSWORD);
  const mine = ((await must('GET', '/tickets?limit=100', alice)).data as Json[]).length;
  if (mine === 0) {
    const tickets = [
      {
        title: '新進人員筆電採購 (MacBook Pro 14")',
        description: '業務部新進同仁 2 名，需於下週一前到貨。',
        category: 'purchase',
        priority: 'high',
      },
      {
        title: 'CRM access for the new account manager',
        description: 'Read/write on the Sales pipeline.',
        category: 'access-request',
        priority: 'normal',
      },
      {
        title: 'Ergonomic chairs for the sales floor',
        description: '6 chairs, quote attached later.',
        category: 'purchase',
        priority: 'low',
      },
      {
        title: '印表機無法連線 (3F)',
        description: '3 樓印表機顯示離線，列印佇列卡住。',
        category: 'it-support',
        priority: 'urgent',
      },
    ];
    const created: string[] = [];
    for (const t of tickets) created.push((await must('POST', '/tickets', alice, { ...t, submit: true })).id as string);
    // One decision already made, so the Web UI shows a ticket waiting at its second step.
    const sam = await login('sam', PASSWORD);
    for (let i = 0; i < 20; i++) {
      const res = await call('POST', `/tickets/${created[0]}/decisions`, sam, {
        decision: 'approve',
        comment: '同意，請財務確認預算。',
      });
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  console.log(
    `seeded: ${departments.size} departments, ${users.size} users, calendar ${calendarId}; demo password "${PASSWORD}"`,
  );
  console.log(
    'Temporal Web UI: http://127.0.0.1:8233/namespaces/default/workflows?query=TicketStatus%3D%22pending_approval%22',
  );
}

main().catch((err: unknown) => {
  console.error(`seed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
