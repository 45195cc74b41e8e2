// The registry of the shell's modules: one entry per navigation item and hash route, and the
// groups the navigation shows them in. Adding a module = writing its view in views/ and adding
// one entry here (with the group it belongs to and the route it needs).
//
// route:  the hash path (#/route); '' is the home page.
// label:  the navigation text.
// group:  the id of its navigation group (GROUPS below); null: not in a group (the home page).
// needs:  the API route the view cannot work without, as "METHOD /api/v1/pattern" exactly as in
//         the server's route table; the module is shown (and opens) only when GET /me lists it
//         in `allowed`. null: every signed-in account.
// description: one line shown on the home page.
// load:   imports the view lazily; the view's default export is render(root, ctx), which may
//         return a cleanup function (called when the user leaves the page).
//
// The server's route table is the one source of who may do what: the web keeps no role table.

/** Navigation groups, in order. A group with no module the account may use is not shown. */
export const GROUPS = [
  { id: 'dieu-hanh', label: 'Điều hành' },
  { id: 'mot-cua', label: 'Một cửa' },
  { id: 'tiep-dan', label: 'Tiếp dân & phản ánh' },
  { id: 'can-bo', label: 'Cán bộ' },
  { id: 'thanh-tra', label: 'Thanh tra, kiểm tra' },
  { id: 'van-ban', label: 'Văn bản' },
  { id: 'quan-tri', label: 'Quản trị' },
];

export const MODULES = [
  {
    route: '',
    label: 'Việc của tôi',
    group: null,
    needs: null,
    description: 'Những việc đang chờ bạn: nhiệm vụ, hồ sơ, vụ việc, nhắc việc.',
    load: () => import('./views/home.js'),
  },
  {
    route: 'directives',
    label: 'Văn bản chỉ đạo',
    group: 'dieu-hanh',
    needs: 'GET /api/v1/directives',
    description: 'Chỉ thị, kế hoạch, quyết định, công văn, thông báo kết luận và các nhiệm vụ được giao.',
    load: () => import('./views/directives.js'),
  },
  {
    route: 'tasks',
    label: 'Nhiệm vụ',
    group: 'dieu-hanh',
    needs: 'GET /api/v1/tasks',
    description: 'Nhiệm vụ được giao: tiến độ, hoàn thành, gia hạn, quá hạn.',
    load: () => import('./views/tasks.js'),
  },
  {
    route: 'dashboard',
    label: 'Bảng điều khiển',
    group: 'dieu-hanh',
    needs: 'GET /api/v1/stats/tasks',
    description: 'Tỷ lệ hoàn thành nhiệm vụ đúng hạn theo tháng, quý, năm và xếp hạng đơn vị.',
    load: () => import('./views/dashboard.js'),
  },
  {
    route: 'desk',
    label: 'Tiếp nhận hồ sơ',
    group: 'mot-cua',
    needs: 'POST /api/v1/dossiers',
    description: 'Bộ phận một cửa tiếp nhận hồ sơ thủ tục hành chính, in giấy tiếp nhận và hẹn trả kết quả.',
    load: () => import('./views/desk.js'),
  },
  {
    route: 'dossiers',
    label: 'Hồ sơ một cửa',
    group: 'mot-cua',
    needs: 'GET /api/v1/dossiers',
    description: 'Hồ sơ đang giải quyết, quá hạn, cần xin lỗi, chờ bổ sung, chờ trả kết quả.',
    load: () => import('./views/dossiers.js'),
  },
  {
    route: 'procedures',
    label: 'Thủ tục hành chính',
    group: 'mot-cua',
    needs: 'GET /api/v1/procedures',
    description: 'Danh mục thủ tục hành chính: thời hạn, phí, thành phần hồ sơ, quy trình giải quyết.',
    load: () => import('./views/procedures.js'),
  },
  {
    route: 'onestop-stats',
    label: 'Thống kê một cửa',
    group: 'mot-cua',
    needs: 'GET /api/v1/stats/dossiers',
    description: 'Số hồ sơ tiếp nhận, giải quyết trước hạn, đúng hạn, quá hạn theo đơn vị hoặc thủ tục.',
    load: () => import('./views/onestop-stats.js'),
  },
  {
    route: 'cases',
    label: 'Hồ sơ vụ việc',
    group: 'tiep-dan',
    needs: 'GET /api/v1/cases',
    description: 'Phản ánh, kiến nghị và các vụ việc khác: tiếp nhận, xử lý, thời hạn theo quy định, quá trình xử lý.',
    load: () => import('./views/cases.js'),
  },
  {
    route: 'officials',
    label: 'Cán bộ',
    group: 'can-bo',
    needs: 'GET /api/v1/officials',
    description: 'Danh sách cán bộ, công chức trong phạm vi được xem.',
    load: () => import('./views/officials.js'),
  },
  {
    route: 'units',
    label: 'Đơn vị',
    group: 'quan-tri',
    needs: 'GET /api/v1/units/tree',
    description: 'Cây tổ chức: Thành phố, sở/ngành, quận/huyện, phường/xã.',
    load: () => import('./views/units.js'),
  },
  {
    route: 'accounts',
    label: 'Tài khoản',
    group: 'quan-tri',
    needs: 'GET /api/v1/accounts',
    description: 'Tạo tài khoản, phân vai trò, khóa và mở khóa.',
    load: () => import('./views/accounts.js'),
  },
  {
    route: 'calendar',
    label: 'Lịch làm việc',
    group: 'quan-tri',
    needs: 'GET /api/v1/calendar/days',
    description: 'Ngày làm việc, ngày nghỉ lễ, Tết, âm lịch và công cụ tính hạn xử lý.',
    load: () => import('./views/calendar.js'),
  },
  {
    route: 'audit',
    label: 'Nhật ký',
    group: 'quan-tri',
    needs: 'GET /api/v1/audit',
    description: 'Nhật ký mọi thay đổi, mới nhất trước.',
    load: () => import('./views/audit.js'),
  },
];

/**
 * Whether the account may call a route: `route` is "METHOD /api/v1/pattern" as in the server's
 * route table (GET /me's `allowed`). null or '' is always allowed.
 */
export function allows(me, route) {
  if (!route) return true;
  return !!(me && Array.isArray(me.allowed) && me.allowed.includes(route));
}

/** The modules an account may open, in navigation order. */
export function modulesFor(me) {
  return MODULES.filter((m) => allows(me, m.needs));
}

/** The groups to show an account: [{id, label, modules}] with at least one module each. */
export function groupsFor(me) {
  const mine = modulesFor(me);
  return GROUPS.map((g) => ({ ...g, modules: mine.filter((m) => m.group === g.id) }))
    .filter((g) => g.modules.length > 0);
}
