// Transitional: what GET /me's `allowed` will say, for a server that does not send it yet
// (before the route table declares each route's access). Only the routes the web asks about
// are listed. Delete this file once every server sends `allowed`.
const STAFF = ['officer', 'desk', 'unit_head', 'supervisor', 'leader', 'admin'];
const ASSIGNERS = ['unit_head', 'supervisor', 'leader', 'admin'];
const ALL = [...STAFF, 'public'];

const ROUTES = {
  'GET /api/v1/directives': STAFF,
  'GET /api/v1/tasks': STAFF,
  'GET /api/v1/stats/tasks': STAFF,
  'GET /api/v1/dossiers': STAFF,
  'GET /api/v1/procedures': STAFF,
  'GET /api/v1/stats/dossiers': STAFF,
  'GET /api/v1/officials': STAFF,
  'GET /api/v1/cases': STAFF,
  'POST /api/v1/cases': STAFF,
  'GET /api/v1/inbox': ALL,
  'GET /api/v1/home': ALL,
  'GET /api/v1/units/tree': ALL,
  'GET /api/v1/calendar/days': ALL,
  'GET /api/v1/accounts': ['admin'],
  'GET /api/v1/audit': ['supervisor', 'admin'],
  'POST /api/v1/dossiers': ['desk', 'officer', 'unit_head', 'admin'],
  'POST /api/v1/dossiers/:id/assign': ['officer', 'desk', 'unit_head', 'leader', 'admin'],
  'POST /api/v1/calendar/entries': ['admin'],
  'POST /api/v1/units': ['admin'],
  'POST /api/v1/officials': ['unit_head', 'admin'],
  'POST /api/v1/tasks': ASSIGNERS,
  'POST /api/v1/directives': ASSIGNERS,
  'POST /api/v1/directives/confirm': ASSIGNERS,
  'PATCH /api/v1/procedures/:id': ['admin', 'leader', 'supervisor', 'unit_head'],
};

/** The routes of ROUTES that `role` may call. */
export function fallbackAllowed(role) {
  return Object.keys(ROUTES).filter((r) => ROUTES[r].includes(role));
}
