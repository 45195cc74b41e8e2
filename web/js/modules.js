// The registry of the shell's modules: one entry per navigation item and hash route.
// Adding a module = writing its view in views/ and adding one entry here.
//
// route:  the hash path (#/route); '' is the home page.
// label:  the navigation text.
// roles:  the roles that see it (null: every signed-in role).
// description: one line shown on the home page.
// load:   imports the view lazily; the view's default export is render(root, ctx), which may
//         return a cleanup function (called when the user leaves the page).

export const MODULES = [
  {
    route: '',
    label: 'Trang chủ',
    roles: null,
    description: 'Tổng quan tài khoản và các chức năng.',
    load: () => import('./views/home.js'),
  },
  {
    route: 'dashboard',
    label: 'Bảng điều khiển',
    roles: ['officer', 'desk', 'unit_head', 'supervisor', 'leader', 'admin'],
    description: 'Tỷ lệ hoàn thành nhiệm vụ đúng hạn theo tháng, quý, năm và xếp hạng đơn vị.',
    load: () => import('./views/dashboard.js'),
  },
  {
    route: 'directives',
    label: 'Văn bản chỉ đạo',
    roles: ['officer', 'desk', 'unit_head', 'supervisor', 'leader', 'admin'],
    description: 'Chỉ thị, kế hoạch, quyết định, công văn, thông báo kết luận và các nhiệm vụ được giao.',
    load: () => import('./views/directives.js'),
  },
  {
    route: 'tasks',
    label: 'Nhiệm vụ',
    roles: ['officer', 'desk', 'unit_head', 'supervisor', 'leader', 'admin'],
    description: 'Nhiệm vụ được giao: tiến độ, hoàn thành, gia hạn, quá hạn.',
    load: () => import('./views/tasks.js'),
  },
  {
    route: 'desk',
    label: 'Tiếp nhận hồ sơ',
    roles: ['desk', 'officer', 'unit_head', 'admin'],
    description: 'Bộ phận một cửa tiếp nhận hồ sơ thủ tục hành chính, in giấy tiếp nhận và hẹn trả kết quả.',
    load: () => import('./views/desk.js'),
  },
  {
    route: 'dossiers',
    label: 'Hồ sơ một cửa',
    roles: ['desk', 'officer', 'unit_head', 'supervisor', 'leader', 'admin'],
    description: 'Hồ sơ đang giải quyết, quá hạn, cần xin lỗi, chờ bổ sung, chờ trả kết quả.',
    load: () => import('./views/dossiers.js'),
  },
  {
    route: 'procedures',
    label: 'Thủ tục hành chính',
    roles: ['officer', 'desk', 'unit_head', 'supervisor', 'leader', 'admin'],
    description: 'Danh mục thủ tục hành chính: thời hạn, phí, thành phần hồ sơ, quy trình giải quyết.',
    load: () => import('./views/procedures.js'),
  },
  {
    route: 'onestop-stats',
    label: 'Thống kê một cửa',
    roles: ['officer', 'desk', 'unit_head', 'supervisor', 'leader', 'admin'],
    description: 'Số hồ sơ tiếp nhận, giải quyết trước hạn, đúng hạn, quá hạn theo đơn vị hoặc thủ tục.',
    load: () => import('./views/onestop-stats.js'),
  },
  {
    route: 'units',
    label: 'Đơn vị',
    roles: null,
    description: 'Cây tổ chức: Thành phố, sở/ngành, quận/huyện, phường/xã.',
    load: () => import('./views/units.js'),
  },
  {
    route: 'officials',
    label: 'Cán bộ',
    roles: ['officer', 'desk', 'unit_head', 'supervisor', 'leader', 'admin'],
    description: 'Danh sách cán bộ, công chức trong phạm vi được xem.',
    load: () => import('./views/officials.js'),
  },
  {
    route: 'calendar',
    label: 'Lịch làm việc',
    roles: null,
    description: 'Ngày làm việc, ngày nghỉ lễ, Tết, âm lịch và công cụ tính hạn xử lý.',
    load: () => import('./views/calendar.js'),
  },
  {
    route: 'accounts',
    label: 'Tài khoản',
    roles: ['admin'],
    description: 'Tạo tài khoản, phân vai trò, khóa và mở khóa.',
    load: () => import('./views/accounts.js'),
  },
  {
    route: 'audit',
    label: 'Nhật ký',
    roles: ['supervisor', 'admin'],
    description: 'Nhật ký mọi thay đổi, mới nhất trước.',
    load: () => import('./views/audit.js'),
  },
];

/** The modules a role may open, in navigation order. */
export function modulesFor(role) {
  return MODULES.filter((m) => !m.roles || m.roles.includes(role));
}
